using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsParamStore;

/// <summary>
/// AWSPARAMSTR: the token's path is the parameter name (or ARN), always read WithDecryption, so String, StringList
/// (its comma-separated text) and SecureString all give their value. Concurrent tokens are coalesced into
/// GetParameters calls of up to 10 names (<see cref="StoreBatcher{TKey, TValue}"/>), each retried by
/// <see cref="StoreCall"/>; names the reply lists as InvalidParameters fail alone.
/// </summary>
internal sealed class ParameterStoreTokenStore : ITokenStore, IDisposable
{
    private const string Prefix = "AWSPARAMSTR";
    private const string EndpointVariables = "AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL";

    private readonly ParamStoreSettings _settings;
    private readonly SsmClientSource _clients;
    private readonly StoreRetryOptions _retry;
    private readonly StoreBatcher<ParameterRequest, string> _batcher;

    public ParameterStoreTokenStore(ParamStoreSettings settings, SsmClientSource clients, StoreRetryOptions? retry = null)
    {
        _settings = settings;
        _clients = clients;
        _retry = retry ?? StoreRetryOptions.Default;
        _batcher = new StoreBatcher<ParameterRequest, string>(settings.Batching ? ParamStoreSettings.MaxBatchSize : 1, FetchAsync, settings.BatchWindow);
    }

    public Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        if (_settings.Problem is { } problem)
        {
            throw AwsFailure.ForToken(problem, Context(new ParameterRequest(token, null)));
        }

        return _batcher.GetAsync(ParameterRequest.Parse(token, metadata), cancellationToken);
    }

    public void Dispose() => _batcher.Dispose();

    private async Task<IReadOnlyDictionary<ParameterRequest, StoreResult<string>>> FetchAsync(IReadOnlyList<ParameterRequest> keys, CancellationToken cancellationToken)
    {
        var results = new Dictionary<ParameterRequest, StoreResult<string>>();
        IAmazonSimpleSystemsManagement client;
        try
        {
            client = await _clients.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AwsSettingException ex)
        {
            var failure = AwsFailure.Classify(ex, "SSM", null)!;
            return keys.ToDictionary(key => key, key => StoreResult<string>.Failure(AwsFailure.ForToken(failure, Context(key))));
        }

        foreach (var round in Rounds(keys))
        {
            GetParametersResponse reply;
            try
            {
                reply = await StoreCall.RunAsync(attempt => GetParametersAsync(client, round, attempt), _retry, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException ex)
            {
                foreach (var key in round)
                {
                    results[key] = StoreResult<string>.Failure(AwsFailure.ForToken(ex, Context(key)));
                }

                continue;
            }

            foreach (var key in round)
            {
                results[key] = Find(reply.Parameters, key) is { } parameter
                    ? StoreResult<string>.Success(parameter.Value ?? string.Empty)
                    : StoreResult<string>.Failure(NotFound(key, reply.InvalidParameters?.Contains(key.Query) ?? false));
            }
        }

        return results;
    }

    private async Task<GetParametersResponse> GetParametersAsync(IAmazonSimpleSystemsManagement client, IReadOnlyList<ParameterRequest> round, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetParametersAsync(new GetParametersRequest { Names = [.. round.Select(key => key.Query)], WithDecryption = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AwsFailure.Classify(ex, "SSM", _clients.Endpoint) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Splits a batch so each call names a parameter once: replies carry the parameter's name (and, from AWS, its
    /// selector; not from every emulator), so <c>/a</c>, <c>/a:1</c> and <c>/a:prod</c> in one call could not be told apart.
    /// </summary>
    private static List<List<ParameterRequest>> Rounds(IReadOnlyList<ParameterRequest> keys)
    {
        var rounds = new List<List<ParameterRequest>>();
        foreach (var key in keys)
        {
            var round = rounds.FirstOrDefault(candidate => candidate.TrueForAll(other => !string.Equals(other.Name, key.Name, StringComparison.Ordinal)));
            if (round is null)
            {
                round = [];
                rounds.Add(round);
            }

            round.Add(key);
        }

        return rounds;
    }

    private static Parameter? Find(List<Parameter>? parameters, ParameterRequest key) =>
        parameters?.FirstOrDefault(parameter =>
            (string.Equals(parameter.Name, key.Name, StringComparison.Ordinal) || string.Equals(parameter.ARN, key.Name, StringComparison.Ordinal))
            && (string.IsNullOrEmpty(parameter.Selector) || string.Equals(parameter.Selector, ":" + key.Selector, StringComparison.Ordinal)));

    private StoreException NotFound(ParameterRequest key, bool listedInvalid)
    {
        var what = key.Selector is null ? "no such parameter" : $"no such parameter, or it has no version or label '{key.Selector}'";
        var remedy = $"Check the name (case-sensitive, with its leading '/') and the region ({_clients.RegionName ?? "AWS_REGION"}): aws ssm get-parameter --name '{key.Query}' --with-decryption";
        var description = $"{ParamStoreErrorCodes.NotFound}: {Prefix} token '{key.Query}': {what}{(listedInvalid ? " (GetParameters listed it in InvalidParameters)" : " (GetParameters did not return it)")}";
        return AwsFailure.Coded(ParamStoreErrorCodes.NotFound, new StoreException(StoreFailureKind.NotFound, description, remedy));
    }

    private AwsTokenContext Context(ParameterRequest key)
    {
        var resource = key.Name.StartsWith("arn:", StringComparison.Ordinal)
            ? key.Name
            : $"arn:aws:ssm:{_clients.RegionName ?? "REGION"}:ACCOUNT_ID:parameter{(key.Name.StartsWith('/') ? key.Name : "/" + key.Name)}";
        return new AwsTokenContext(Prefix, key.Query, "ssm:GetParameters", resource, EndpointVariables, " (and kms:Decrypt on its KMS key if it is a SecureString)");
    }
}
