using System.Globalization;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsParamStore;

/// <summary>
/// One parameter to fetch: its name (the token's store path, a name or an ARN) and an optional selector, a version
/// (<c>[version=N]</c> → <c>name:N</c>) or a label (<c>[label=L]</c> → <c>name:L</c>), as GetParameters takes them.
/// </summary>
internal sealed record ParameterRequest(string Name, string? Selector)
{
    /// <summary>What GetParameters is asked for: <c>name</c> or <c>name:selector</c>.</summary>
    public string Query => Selector is null ? Name : Name + ":" + Selector;

    public override string ToString() => Query;

    /// <summary>Parses a token's path and metadata; bad input is CM2211 naming the token.</summary>
    public static ParameterRequest Parse(string path, string metadata)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Bad(path, "the parameter name is empty", "Write the parameter's name after the prefix, e.g. AWSPARAMSTR:///app/db/password.");
        }

        string? version = null;
        string? label = null;
        foreach (var pair in metadata.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals].Trim();
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..].Trim();
            switch (key)
            {
                case "version":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                    {
                        throw Bad(path, $"[version={value}] must be a positive whole number (a parameter version)", "Write e.g. [version=2].");
                    }

                    version = number.ToString(CultureInfo.InvariantCulture);
                    break;
                case "label":
                    if (value.Length == 0 || value.Length > 100 || char.IsAsciiDigit(value[0]) || value.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || value.StartsWith("ssm", StringComparison.OrdinalIgnoreCase) || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
                    {
                        throw Bad(path, $"[label={value}] is not a parameter label (1-100 letters, digits, '.', '-', '_'; not starting with a digit, 'aws' or 'ssm')", "Write e.g. [label=prod].");
                    }

                    label = value;
                    break;
                default:
                    throw Bad(path, $"unknown metadata key '{key}' (known: version, label)", "Remove it, or write [version=N] or [label=L].");
            }
        }

        if (version is not null && label is not null)
        {
            throw Bad(path, "[version=...] and [label=...] cannot both be given", "Keep one: a label names one version.");
        }

        var selector = version ?? label;
        if (selector is not null && path.Contains(':', StringComparison.Ordinal) && !path.StartsWith("arn:", StringComparison.Ordinal))
        {
            throw Bad(path, "the name already has a ':selector' and the metadata gives another", "Keep one of the two.");
        }

        return new ParameterRequest(path, selector);
    }

    private static StoreException Bad(string path, string description, string remedy) =>
        AwsFailure.Coded(ParamStoreErrorCodes.BadToken, new StoreException(StoreFailureKind.InvalidRequest, $"{ParamStoreErrorCodes.BadToken}: AWSPARAMSTR token '{path}': {description}", remedy));
}
