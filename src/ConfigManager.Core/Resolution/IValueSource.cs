namespace ConfigManager.Core.Resolution;

/// <summary>
/// Answers value requests. The go-plugin host implements it for real; tests may use an in-memory one.
/// Implementations throw <see cref="Diagnostics.ConfigManagerException"/> (CM2xxx) on failure, with
/// messages that name the prefix, store path and plugin path but never a value.
/// </summary>
public interface IValueSource
{
    Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken);
}
