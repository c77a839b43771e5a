using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace ConfigManager.Plugins.AzTableStore;

/// <summary>
/// Table clients per (account, table). Production: https://{account}.table.core.windows.net with
/// DefaultAzureCredential. Emulators and private endpoints: CONFIGMANAGER_AZTABLESTORE_CONNECTION_STRING
/// (used for every account) or CONFIGMANAGER_AZTABLESTORE_ENDPOINT (a URI, '{account}' replaced by the token's
/// account, still with DefaultAzureCredential).
/// </summary>
internal sealed class TableClientFactory
{
    public const string ConnectionStringVariable = "CONFIGMANAGER_AZTABLESTORE_CONNECTION_STRING";
    public const string EndpointVariable = "CONFIGMANAGER_AZTABLESTORE_ENDPOINT";
    private const string DefaultEndpoint = "https://{account}.table.core.windows.net";

    private readonly string? _connectionString;
    private readonly string _endpointTemplate;
    private readonly Lazy<TokenCredential> _credential = new(() => new DefaultAzureCredential());
    private readonly ConcurrentDictionary<(string Account, string Table), TableClient> _clients = new();

    public TableClientFactory(string? connectionString, string? endpointTemplate)
    {
        _connectionString = string.IsNullOrWhiteSpace(connectionString) ? null : connectionString;
        _endpointTemplate = string.IsNullOrWhiteSpace(endpointTemplate) ? DefaultEndpoint : endpointTemplate.TrimEnd('/');
    }

    public static TableClientFactory FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(ConnectionStringVariable), Environment.GetEnvironmentVariable(EndpointVariable));

    /// <summary>Where a token's account is served, for error messages (never contains credentials).</summary>
    public string DescribeEndpoint(string account) =>
        _connectionString is not null ? $"the endpoint of {ConnectionStringVariable}" : ServiceUri(account).ToString();

    public TableClient For(TableTokenPath path) =>
        _clients.GetOrAdd((path.Account, path.Table), key => _connectionString is not null
            ? new TableClient(_connectionString, key.Table)
            : new TableClient(ServiceUri(key.Account), key.Table, _credential.Value));

    private Uri ServiceUri(string account) => new(_endpointTemplate.Replace("{account}", account, StringComparison.Ordinal));
}
