using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsShared;

/// <summary>
/// The custom CA bundle, as the AWS CLI and SDKs read it: <c>AWS_CA_BUNDLE</c> wins over the active profile's
/// <c>ca_bundle</c> (AWS_PROFILE, else default, in AWS_CONFIG_FILE, else ~/.aws/config). When one is set, HTTPS to AWS
/// trusts exactly its certificates (the SDK's <see cref="CustomCaTrust"/>), as behind a TLS-inspecting proxy; when
/// none is, the system store. A bundle that cannot be used is CM2230, naming the file and the setting.
/// </summary>
public static class AwsCaBundle
{
    public const string Variable = "AWS_CA_BUNDLE";

    public const string ProfileKey = "ca_bundle";

    /// <summary>The bundle's path and the setting that gave it (for messages), or null when none is set.</summary>
    /// <param name="environment">The variables (null: this process's).</param>
    public static (string Path, string Setting)? Find(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(Variable)?.Trim() is { Length: > 0 } variable)
        {
            return (ExpandHome(variable, environment), Variable);
        }

        var profile = environment("AWS_PROFILE")?.Trim() is { Length: > 0 } name ? name : "default";
        var configFile = environment("AWS_CONFIG_FILE")?.Trim() is { Length: > 0 } file ? ExpandHome(file, environment) : Path.Combine(Home(environment), ".aws", "config");
        return ProfileValue(configFile, profile) is { Length: > 0 } value
            ? (ExpandHome(value, environment), $"{ProfileKey} of profile '{profile}' in {configFile}")
            : null;
    }

    /// <summary>The trust for the bundle, or null (the system store) when none is set.</summary>
    /// <exception cref="AwsSettingException">CM2230: the bundle cannot be read or holds no certificate.</exception>
    public static CustomCaTrust? LoadTrust(Func<string, string?>? environment = null)
    {
        if (Find(environment) is not { } bundle)
        {
            return null;
        }

        var fix = bundle.Setting == Variable
            ? $"Point {Variable} at a readable PEM file of the CA that signs the endpoint's certificate (your proxy's or private CA), or unset it."
            : $"Point {ProfileKey} in that profile at a readable PEM file of the CA that signs the endpoint's certificate (your proxy's or private CA), or remove it.";
        try
        {
            return CustomCaTrust.FromPemFiles([bundle.Path]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new AwsSettingException(AwsErrorCodes.BadCaBundle, $"the CA bundle {bundle.Path} ({bundle.Setting}) cannot be read: {ex.Message.TrimEnd('.')}", fix);
        }
        catch (InvalidDataException)
        {
            throw new AwsSettingException(AwsErrorCodes.BadCaBundle, $"the CA bundle {bundle.Path} ({bundle.Setting}) holds no PEM certificate (-----BEGIN CERTIFICATE-----)", fix);
        }
    }

    /// <summary><see cref="StoreHttp.CreateClient()"/>'s client, trusting exactly the bundle when one is set.</summary>
    /// <exception cref="AwsSettingException">CM2230: the bundle cannot be used.</exception>
    public static HttpClient CreateClient(Func<string, string?>? environment = null) => StoreHttp.CreateClient(LoadTrust(environment));

    /// <summary>A key of <c>[default]</c>/<c>[profile default]</c> or <c>[profile NAME]</c> in the config file; null when absent or unreadable.</summary>
    private static string? ProfileValue(string configFile, string profile)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(configFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // no config file: no profile setting (the SDK's own chains report profile problems)
        }

        var inProfile = false;
        string? value = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                var section = string.Join(' ', line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                inProfile = section == "profile " + profile || (profile == "default" && section == "default");
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (inProfile && equals > 0 && line[..equals].Trim() == ProfileKey)
            {
                value = line[(equals + 1)..].Trim();
            }
        }

        return value;
    }

    private static string ExpandHome(string path, Func<string, string?> environment) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Home(environment) + path[1..] : path;

    private static string Home(Func<string, string?> environment) =>
        environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
