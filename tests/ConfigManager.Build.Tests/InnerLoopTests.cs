using System.Net;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests;

/// <summary>
/// The inner loop with ConfigManager.Extensions.Configuration: `dotnet run` through a launch profile (what F5 runs) and a
/// WebApplicationFactory test see the resolved values, with the content root still the project folder.
/// </summary>
[TestClass]
public sealed class InnerLoopTests
{
    private const string WebProgram = """
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/secret", (IConfiguration c) => c["Custom:Secret"] ?? "(missing)");
        app.MapGet("/greeting", (IConfiguration c) => c["Custom:Greeting"] ?? "(missing)");
        app.MapGet("/level", (IConfiguration c) => c["Logging:LogLevel:Default"] ?? "(missing)");
        app.MapGet("/root", (IWebHostEnvironment e) => e.ContentRootPath);
        app.Run();

        public partial class Program;

        """;

    // Unresolved, AllowedHosts rejects every request (400) and the log level does not parse (startup fails).
    private const string WebSettings = """
        {
          "AllowedHosts": "GOTEST://echo/127.0.0.1",
          "Custom": { "Secret": "GOTEST://env/CMTEST_SECRET", "Greeting": "GOTEST://echo/hello-factory" },
          "Logging": { "LogLevel": { "Default": "GOTEST://echo/Information" } }
        }

        """;

    private const string DevelopmentSettings = """
        { "Logging": { "LogLevel": { "Default": "GOTEST://echo/Warning" } } }

        """;

    private const string FactoryTest = """
        using Microsoft.AspNetCore.Mvc.Testing;

        [TestClass]
        public sealed class FactoryTests
        {
            [TestMethod]
            public async Task The_factory_loads_the_resolved_settings_with_the_project_folder_as_content_root()
            {
                using var factory = new WebApplicationFactory<Program>();
                using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://127.0.0.1") });
                Assert.AreEqual("hello-factory", await client.GetStringAsync("/greeting"));
                Assert.AreEqual(Environment.GetEnvironmentVariable("CMTEST_WEB_DIR"), (await client.GetStringAsync("/root")).TrimEnd('/'));
            }
        }

        """;

    [TestMethod]
    public async Task Dotnet_run_with_a_launch_profile_and_WebApplicationFactory_read_the_resolved_copies()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Dotnet_run_with_a_launch_profile_and_WebApplicationFactory_read_the_resolved_copies));
        var overlay = $"<PackageReference Include=\"{LocalPackageFeed.OverlayPackageId}\" Version=\"{LocalPackageFeed.Version}\" />";
        var web = ConsumerProject.WebApp(workspace, "InnerLoopWeb", WebProgram, overlay);
        web.WriteFile("appsettings.json", WebSettings);
        web.WriteFile("appsettings.Development.json", DevelopmentSettings);
        var port = LoopbackPort.Free();
        web.WriteFile(Path.Combine("Properties", "launchSettings.json"), $$"""
            {
              "profiles": {
                "InnerLoopWeb": {
                  "commandName": "Project",
                  "applicationUrl": "http://127.0.0.1:{{port}}",
                  "environmentVariables": { "ASPNETCORE_ENVIRONMENT": "Development" }
                }
              }
            }
            """);

        // dotnet run = build + the launch profile, as F5 does.
        int[] tree;
        using (var run = BackgroundCommand.Start(web.Directory, workspace.Environment, "run", "--project", web.ProjectPath, "-p:UseSharedCompilation=false"))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var url = $"http://127.0.0.1:{port}";
            var first = await WaitForAsync(http, url + "/secret", run, TimeSpan.FromMinutes(5));
            Assert.AreEqual(HttpStatusCode.OK, first.StatusCode, run.ToString());
            Assert.AreEqual(secret, await first.Content.ReadAsStringAsync());
            Assert.AreEqual("Warning", await http.GetStringAsync(url + "/level"), "appsettings.Development.json is read resolved too.");
            Assert.AreEqual(web.Directory, (await http.GetStringAsync(url + "/root")).TrimEnd('/'), "The content root stays the project folder.");
            tree = [.. run.LiveTree()];
            Assert.IsTrue(tree.Length >= 2, "dotnet run and the app it started: " + string.Join(", ", tree));
            Assert.IsFalse(run.Output.Contains(secret, StringComparison.Ordinal), "The secret reached the console:\n" + run);
        }

        // SIGKILL is delivered asynchronously: give the tree seconds to go, then name what stayed.
        var orphans = BackgroundCommand.StillAlive(tree, TimeSpan.FromSeconds(20));
        Assert.AreEqual(0, orphans.Count, "Still running after the run was stopped: " + string.Join("; ", orphans));
        var manifest = File.ReadAllText(Path.Combine(web.BinDirectory, "InnerLoopWeb.configmanager-overlay.txt"));
        StringAssert.Contains(manifest, "file=appsettings.json");
        Assert.IsFalse(manifest.Contains(secret, StringComparison.Ordinal));

        // A test project of the usual shape: its factory must load the resolved copy of the referenced web project.
        var testDir = Path.Combine(workspace.Root, "InnerLoopWeb.Tests");
        Directory.CreateDirectory(testDir);
        File.WriteAllText(Path.Combine(testDir, "InnerLoopWeb.Tests.csproj"), """
            <Project Sdk="MSTest.Sdk/4.5.2">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.AspNetCore.Mvc.Testing" Version="10.0.15" />
                <ProjectReference Include="../InnerLoopWeb/InnerLoopWeb.csproj" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(testDir, "FactoryTests.cs"), FactoryTest);
        var environment = new Dictionary<string, string?>(workspace.Environment) { ["CMTEST_WEB_DIR"] = web.Directory };
        var tests = Dotnet.Run(testDir, environment, TimeSpan.FromMinutes(6), "run", "--project", Path.Combine(testDir, "InnerLoopWeb.Tests.csproj"));
        Assert.IsTrue(tests.Succeeded, tests.ToString());
        StringAssert.Contains(tests.Output, "succeeded: 1", tests.ToString());
        Assert.IsFalse(tests.Output.Contains(secret, StringComparison.Ordinal));
        Scenario.AssertNoPluginLeft(workspace);
    }

    private static async Task<HttpResponseMessage> WaitForAsync(HttpClient http, string url, BackgroundCommand run, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            Assert.IsFalse(run.HasExited, "dotnet run ended before the app answered:\n" + run);
            try
            {
                return await http.GetAsync(url);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(500);
            }
        }
    }
}
