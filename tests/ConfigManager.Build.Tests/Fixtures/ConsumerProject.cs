namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>A tiny real project that references the locally packed ConfigManager.MSBuild package.</summary>
public sealed class ConsumerProject
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(4);

    private ConsumerProject(TestWorkspace workspace, string directory, string name)
    {
        Workspace = workspace;
        Directory = directory;
        ProjectPath = Path.Combine(directory, name + ".csproj");
    }

    public TestWorkspace Workspace { get; }

    public string Directory { get; }

    public string ProjectPath { get; }

    /// <summary>dotnet build's output folder (Debug).</summary>
    public string BinDirectory => BinDirectoryFor("Debug");

    /// <summary>dotnet publish builds Release by default (.NET 8+), into bin/Release.</summary>
    public string BinDirectoryFor(string configuration) => Path.Combine(Directory, "bin", configuration, "net10.0");

    public string ObjDirectory => Path.Combine(Directory, "obj");

    /// <summary>A console app whose appsettings*.json are None items copied to the output (the usual console pattern).</summary>
    public static ConsumerProject Console(TestWorkspace workspace, string name, string extraProperties = "", string extraItems = "")
        => Create(workspace, name, "Microsoft.NET.Sdk", """System.Console.WriteLine("hello");""", """
            <None Update="appsettings*.json" CopyToOutputDirectory="PreserveNewest" />
            """ + extraItems, extraProperties);

    /// <summary>Like <see cref="Console"/>, but in <paramref name="parentDirectory"/> instead of the workspace (so it does not find the workspace's .configmanager).</summary>
    public static ConsumerProject ConsoleIn(TestWorkspace workspace, string parentDirectory, string name, string extraProperties = "")
        => Create(workspace, name, "Microsoft.NET.Sdk", """System.Console.WriteLine("hello");""", """
            <None Update="appsettings*.json" CopyToOutputDirectory="PreserveNewest" />
            """, extraProperties, parentDirectory: parentDirectory);

    /// <summary>A console app as `dotnet new console` makes it: appsettings*.json are None items copied nowhere.</summary>
    public static ConsumerProject ConsoleWithoutCopy(TestWorkspace workspace, string name)
        => Create(workspace, name, "Microsoft.NET.Sdk", """System.Console.WriteLine("hello");""", string.Empty, string.Empty);

    /// <summary>A console app under central package management: the package comes from a GlobalPackageReference in Directory.Packages.props, not from the project.</summary>
    public static ConsumerProject ConsoleWithoutPackageReference(TestWorkspace workspace, string name)
        => Create(workspace, name, "Microsoft.NET.Sdk", """System.Console.WriteLine("hello");""", """
            <None Update="appsettings*.json" CopyToOutputDirectory="PreserveNewest" />
            """, string.Empty, packageReference: false);

    /// <summary>An ASP.NET Core app: the Web SDK makes appsettings*.json Content items.</summary>
    public static ConsumerProject Web(TestWorkspace workspace, string name, string extraProperties = "", string extraItems = "")
        => Create(workspace, name, "Microsoft.NET.Sdk.Web", "var app = WebApplication.CreateBuilder(args).Build();\napp.MapGet(\"/\", () => \"hello\");\napp.Run();\n", extraItems, extraProperties);

    /// <summary>An ASP.NET Core app with its own Program.cs and items (e.g. more package references).</summary>
    public static ConsumerProject WebApp(TestWorkspace workspace, string name, string program, string extraItems, string extraProperties = "")
        => Create(workspace, name, "Microsoft.NET.Sdk.Web", program, extraItems, extraProperties);

    public string WriteFile(string relativePath, string text)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public CommandResult Build(params string[] arguments)
        => Dotnet.Run(Directory, Workspace.Environment, s_buildTimeout, ["build", ProjectPath, "-m:1", "-nr:false", "-v:m", .. arguments]);

    /// <summary><c>dotnet build</c> with <paramref name="onStarted"/> running beside it (given the dotnet process).</summary>
    public CommandResult BuildWhile(Action<System.Diagnostics.Process> onStarted, params string[] arguments)
        => Dotnet.Run(Directory, Workspace.Environment, s_buildTimeout, onStarted, ["build", ProjectPath, "-m:1", "-nr:false", "-v:m", .. arguments]);

    public CommandResult Publish(params string[] arguments)
        => Dotnet.Run(Directory, Workspace.Environment, s_buildTimeout, ["publish", ProjectPath, "-m:1", "-nr:false", "-v:m", .. arguments]);

    private static ConsumerProject Create(TestWorkspace workspace, string name, string sdk, string program, string items, string extraProperties, bool packageReference = true, string? parentDirectory = null)
    {
        var reference = packageReference ? $"<PackageReference Include=\"{LocalPackageFeed.PackageId}\" Version=\"{LocalPackageFeed.Version}\" />" : string.Empty;
        var directory = Path.Combine(parentDirectory ?? workspace.Root, name);
        System.IO.Directory.CreateDirectory(directory);
        var project = new ConsumerProject(workspace, directory, name);
        File.WriteAllText(project.ProjectPath, $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <ConfigManagerExtraPrefixes>GOTEST</ConfigManagerExtraPrefixes>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                {reference}
                {items}
              </ItemGroup>
            </Project>
            """);
        project.WriteFile("Program.cs", program);
        return project;
    }
}
