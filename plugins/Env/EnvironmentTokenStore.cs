using ConfigManager.PluginSdk;

namespace ConfigManager.Plugins.Env;

/// <summary><c>ENV://NAME</c>: the value of the plugin's (that is, the host's) environment variable NAME.</summary>
internal sealed class EnvironmentTokenStore : ITokenStore
{
    public Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        // ENV:///NAME and ENV://NAME mean the same variable; names never contain '/'.
        var name = token.TrimStart('/');
        if (name.Length == 0)
        {
            throw new ArgumentException("ENV token names no variable: write ENV://NAME");
        }

        return Environment.GetEnvironmentVariable(name) is { } value
            ? Task.FromResult(value)
            : throw new KeyNotFoundException($"environment variable {name} is not set");
    }
}
