namespace ConfigManager.TestSupport;

/// <summary>A first-party C# plugin project that <see cref="CSharpPlugins"/> can publish.</summary>
/// <param name="Prefix">Lower-case prefix: the layout folder and the start of the executable's name.</param>
/// <param name="ProjectPath">The plugin's project, relative to the repository root.</param>
public sealed record CSharpPlugin(string Prefix, string ProjectPath)
{
    /// <summary>ENV://NAME (plugins/Env).</summary>
    public static CSharpPlugin Env { get; } = new("env", "plugins/Env/Env.csproj");

    /// <summary>AZTABLESTORE://account/table/partitionKey/rowKey (plugins/AzTableStore).</summary>
    public static CSharpPlugin AzTableStore { get; } = new("aztablestore", "plugins/AzTableStore/AzTableStore.csproj");

    /// <summary>The C# test plugin (plugins/TestPlugin): the test-plugin contract, prefix CSTEST.</summary>
    public static CSharpPlugin TestPlugin { get; } = new("cstest", "plugins/TestPlugin/TestPlugin.csproj");

    /// <summary>The plugin's upper-case prefix as tokens spell it (ENV, AZTABLESTORE, CSTEST).</summary>
    public string TokenPrefix => Prefix.ToUpperInvariant();
}
