using System.Collections.Concurrent;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Output;
using ConfigManager.Core.Resolution;

namespace ConfigManager.Core.Install;

/// <summary>
/// Checks each prefix's plugin once, before its first request reaches the host: it must exist in the layout
/// (else CM5056 listing every path tried) and match its lock-file pin (else CM5054), so a swapped binary is
/// never launched.
/// </summary>
public sealed class PinnedPluginSource(IValueSource inner, PluginLayout layout, PluginLockFile lockFile) : IValueSource
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _checks = new(StringComparer.Ordinal);

    public async Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken)
    {
        var check = _checks.GetOrAdd(request.Prefix, prefix => new Lazy<Task>(() => CheckAsync(prefix, cancellationToken)));
        await check.Value.ConfigureAwait(false);
        return await inner.GetValueAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckAsync(string prefix, CancellationToken cancellationToken)
    {
        var lookup = layout.Find(prefix);
        if (!lookup.Found)
        {
            throw NotFound(lookup);
        }

        var mismatch = await lockFile.VerifyAsync(prefix, lookup.FoundPath!, cancellationToken).ConfigureAwait(false);
        if (mismatch is not null)
        {
            throw new ConfigManagerException(mismatch.Code, mismatch.Message, lookup.FoundPath);
        }
    }

    /// <summary>The error for a prefix without a plugin: every path tried and how to install one.</summary>
    public static ConfigManagerException NotFound(PluginLookup lookup)
        => new(
            ToolErrorCodes.PluginNotFound,
            $"No plugin for prefix {lookup.Prefix}. Tried: {string.Join(", ", lookup.TriedPaths)}. "
            + $"Install it with 'dotnet configmanager init --plugin {lookup.Prefix.ToLowerInvariant()} --source <folder or URL>', or point --plugin-dir / $CONFIGMANAGER_DIR at the folder holding .configmanager.",
            lookup.TriedPaths[0]);
}
