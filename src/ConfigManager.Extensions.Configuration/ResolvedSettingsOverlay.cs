using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ConfigManager.Extensions.Configuration;

/// <summary>
/// Points the app's JSON configuration sources at the build's resolved copies. Installed before <c>Main</c> by the
/// module initializer this package adds to the app; acts on every host the app builds (generic host, WebApplication,
/// WebApplicationFactory) through the <c>HostBuilding</c> event the hosting library raises, and only when:
/// the host's content root is the project folder the build resolved, and the source is a relative JSON file the
/// build resolved and whose copy sits beside the app assembly. The content root, and so every other relative path
/// (wwwroot, App_Data, <c>Data Source=app.db</c>), stays as it was. No plugin is called; values are only read from files.
/// </summary>
public static class ResolvedSettingsOverlay
{
    private static readonly object s_gate = new();
    private static readonly List<(string ApplicationName, OverlayManifest Manifest)> s_apps = [];
    private static IDisposable? s_subscription;

    /// <summary>Registers <paramref name="app"/>'s resolved copies; a no-op when the build wrote no manifest beside it.</summary>
    public static void Install(Assembly app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var directory = string.IsNullOrEmpty(app.Location) ? null : Path.GetDirectoryName(app.Location);
        var name = app.GetName().Name;
        if (directory is null || name is null || OverlayManifest.Read(directory, name) is not { } manifest)
        {
            return;
        }

        lock (s_gate)
        {
            s_apps.Add((name, manifest));
            s_subscription ??= DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        }
    }

    /// <summary>Replaces each matching JSON source by one that reads the resolved copy; returns how many were replaced.</summary>
    public static int Redirect(IConfigurationBuilder builder, string? applicationName, string? contentRoot)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OverlayManifest? manifest;
        lock (s_gate)
        {
            manifest = s_apps.FirstOrDefault(a => string.Equals(a.ApplicationName, applicationName, StringComparison.Ordinal)).Manifest;
        }

        return manifest is null || !manifest.IsProjectDirectory(contentRoot) ? 0 : Redirect(builder, manifest, contentRoot!);
    }

    internal static int Redirect(IConfigurationBuilder builder, OverlayManifest manifest, string contentRoot)
    {
        var replaced = 0;
        PhysicalFileProvider? resolved = null;
        for (var i = 0; i < builder.Sources.Count; i++)
        {
            if (builder.Sources[i] is not JsonConfigurationSource json || !ReadsFromContentRoot(json, contentRoot))
            {
                continue;
            }

            var relative = OverlayManifest.Normalize(json.Path!);
            if (!manifest.Files.Contains(relative) || !File.Exists(Path.Combine(manifest.Directory, relative)))
            {
                continue;
            }

            resolved ??= new PhysicalFileProvider(manifest.Directory);
            // Replacing the entry (not mutating it) makes a ConfigurationManager reload its providers.
            builder.Sources[i] = new JsonConfigurationSource
            {
                Path = relative,
                Optional = json.Optional,
                ReloadOnChange = json.ReloadOnChange,
                ReloadDelay = json.ReloadDelay,
                OnLoadException = json.OnLoadException,
                FileProvider = resolved,
            };
            replaced++;
        }

        return replaced;
    }

    private static bool ReadsFromContentRoot(JsonConfigurationSource json, string contentRoot)
    {
        if (string.IsNullOrEmpty(json.Path) || Path.IsPathRooted(json.Path))
        {
            return false;
        }

        // Unset: the builder's base path, which the host sets to the content root.
        return json.FileProvider switch
        {
            null => true,
            PhysicalFileProvider physical => OverlayManifest.PathComparer.Equals(
                Path.GetFullPath(physical.Root).TrimEnd(Path.DirectorySeparatorChar),
                Path.GetFullPath(contentRoot).TrimEnd(Path.DirectorySeparatorChar)),
            _ => false,
        };
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(new HostingObserver());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class HostingObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilding" && value.Value is IHostBuilder host)
            {
                host.ConfigureAppConfiguration((context, builder) =>
                    Redirect(builder, context.HostingEnvironment.ApplicationName, context.HostingEnvironment.ContentRootPath));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
