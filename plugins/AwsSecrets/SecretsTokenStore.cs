using ConfigManager.Plugins.AwsSecrets.Api;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Logging;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// AWSSECRETS tokens: the store path is the secret id (name or ARN), <c>[version=STAGE]</c> a version stage (default
/// AWSCURRENT, as configmanager), <c>[versionid=ID]</c> a VersionId; the value is the SecretString (JSON secrets then
/// take <c>|key</c> lookups in the host), or for a binary-only secret its base64 text. AWSCURRENT lookups that arrive
/// together go out as one BatchGetSecretValue per 20 ids; stage and version-id lookups (which that API cannot select)
/// are single GetSecretValue calls. Every call goes through StoreCall (retries, timeouts).
/// </summary>
internal sealed class SecretsTokenStore : ITokenStore, IDisposable
{
    private readonly SecretsManagerApi _api;
    private readonly StoreRetryOptions _retry;
    private readonly StoreBatcher<string, SecretValueEntry>? _batcher;
    private readonly PluginLogger _log;
    private readonly StoreException? _problem;
    private int _batchDenied;

    /// <param name="api">The Secrets Manager client.</param>
    /// <param name="settings">Batching on or off (off: one GetSecretValue per token, what configmanager does) and its timing.</param>
    /// <param name="retry">Retry and timeout options (null: the SDK's defaults).</param>
    /// <param name="log">Where notes go (never a value).</param>
    public SecretsTokenStore(SecretsManagerApi api, SecretsSettings settings, StoreRetryOptions? retry, PluginLogger log)
    {
        _api = api;
        _retry = retry ?? StoreRetryOptions.Default;
        _log = log;
        _problem = settings.Problem;
        _batcher = settings.Batching
            ? new StoreBatcher<string, SecretValueEntry>(SecretsManagerApi.MaxBatchSize, FetchBatchAsync, settings.BatchWindow, StringComparer.Ordinal)
            : null;
    }

    public async Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var request = SecretRequest.Parse(token, metadata);
        if (_problem is not null)
        {
            throw SecretsFailures.ForToken(_problem, request, _api.Target);
        }

        SecretValueEntry entry;
        try
        {
            entry = request.IsBatchable && _batcher is not null
                ? await _batcher.GetAsync(request.SecretId, cancellationToken).ConfigureAwait(false)
                : await GetOneAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException failure)
        {
            throw SecretsFailures.ForToken(failure, request, _api.Target);
        }

        // configmanager returns SecretString, else the binary; the JSON 1.1 wire carries binary as base64 text, kept as is.
        return entry.SecretString ?? entry.SecretBinary ?? throw SecretsFailures.ForToken(
            SecretsFailures.Create(SecretsErrorCodes.NotFound, StoreFailureKind.NotFound, $"{SecretsFailures.Service} returned a version with neither SecretString nor SecretBinary"),
            request,
            _api.Target);
    }

    public void Dispose() => _batcher?.Dispose();

    private Task<SecretValueEntry> GetOneAsync(SecretRequest request, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(attempt => _api.GetSecretValueAsync(request, attempt), _retry, cancellationToken);

    /// <summary>One BatchGetSecretValue for up to 20 AWSCURRENT ids (following NextToken); each id its own result.</summary>
    private async Task<IReadOnlyDictionary<string, StoreResult<SecretValueEntry>>> FetchBatchAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _batchDenied) == 1 || ids.Count == 1)
        {
            // A lone id costs one call either way; GetSecretValue needs no extra IAM action.
            return await FetchEachAsync(ids, cancellationToken).ConfigureAwait(false);
        }

        var results = new Dictionary<string, StoreResult<SecretValueEntry>>(StringComparer.Ordinal);
        var wanted = new HashSet<string>(ids, StringComparer.Ordinal);
        string? nextToken = null;
        for (var page = 0; page == 0 || (nextToken is not null && page < 5); page++)
        {
            BatchGetSecretValueResponse reply;
            try
            {
                var token = nextToken;
                reply = await StoreCall.RunAsync(attempt => _api.BatchGetSecretValueAsync(ids, token, attempt), _retry, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException denied) when (page == 0 && AwsFailure.CodeOf(denied) == AwsErrorCodes.AccessDenied)
            {
                // Policies written for configmanager allow GetSecretValue only: fall back to it for the rest of the run.
                if (Interlocked.Exchange(ref _batchDenied, 1) == 0)
                {
                    _log.Info("BatchGetSecretValue was denied; using one GetSecretValue per secret for the rest of this run (grant secretsmanager:BatchGetSecretValue to batch)");
                }

                return await FetchEachAsync(ids, cancellationToken).ConfigureAwait(false);
            }

            foreach (var entry in reply.SecretValues ?? [])
            {
                foreach (var id in new[] { entry.Name, entry.Arn })
                {
                    if (id is not null && wanted.Contains(id))
                    {
                        results[id] = StoreResult<SecretValueEntry>.Success(entry);
                    }
                }
            }

            foreach (var error in reply.Errors ?? [])
            {
                if (error.SecretId is { } id && wanted.Contains(id) && !results.ContainsKey(id))
                {
                    results[id] = StoreResult<SecretValueEntry>.Failure(SecretsFailures.FromAws(error.ErrorCode, error.Message, 400, null));
                }
            }

            nextToken = reply.NextToken;
        }

        // An id the reply named differently (a partial ARN, say) is asked for alone rather than failed.
        var unanswered = ids.Where(id => !results.ContainsKey(id)).ToList();
        if (unanswered.Count > 0)
        {
            foreach (var (id, result) in await FetchEachAsync(unanswered, cancellationToken).ConfigureAwait(false))
            {
                results[id] = result;
            }
        }

        return results;
    }

    private async Task<IReadOnlyDictionary<string, StoreResult<SecretValueEntry>>> FetchEachAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var fetched = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return (id, StoreResult<SecretValueEntry>.Success(await GetOneAsync(new SecretRequest(id, null, null), cancellationToken).ConfigureAwait(false)));
            }
            catch (StoreException failure)
            {
                return (id, StoreResult<SecretValueEntry>.Failure(failure));
            }
        })).ConfigureAwait(false);
        return fetched.ToDictionary(pair => pair.id, pair => pair.Item2, StringComparer.Ordinal);
    }
}
