using System.Text;

namespace ConfigManager.Benchmarks;

/// <summary>Generates a large appsettings-like JSON document with tokens at a chosen density.</summary>
public static class AppSettingsGenerator
{
    /// <summary>Builds about <paramref name="targetChars"/> characters; every <paramref name="tokenEvery"/>-th
    /// section carries tokens (1 = every string value of every section is a token).</summary>
    public static string Generate(int targetChars, int tokenEvery)
    {
        var builder = new StringBuilder(targetChars + 4096);
        builder.Append("{\r\n  // generated for benchmarks\r\n  \"AllowedHosts\": \"*\",\r\n");
        for (var i = 0; builder.Length < targetChars; i++)
        {
            var tokens = i % tokenEvery == 0;
            var dense = tokenEvery == 1;
            string Value(string plain, string token) => dense || (tokens && token.Contains("|password", StringComparison.Ordinal)) ? token : plain;
            builder.Append($$"""
              "Service{{i}}": {
                "Logging": { "LogLevel": { "Default": "{{Value("Information", $"AWSPARAMSTR:///svc{i % 97}/config|logLevel")}}", "Microsoft.AspNetCore": "Warning" } },
                "ConnectionStrings": {
                  "Main": "Server=db{{i}}.example.com;Database=app;User Id=app;Password={{Value("not-a-secret", $"AWSSECRETS:///app/db{i % 50}|password")}}",
                  "Cache": "{{Value("cache.example.com:6379", $"VAULT://kv/cache{i % 13}|endpoint")}}"
                },
                "Endpoints": [ "https://api{{i}}.example.com/v1", "{{Value("https://backup.example.com", $"AZKVSECRET://vault/backup{i % 7}")}}" ],
                "Features": { "EnableAudit": true, "Retries": 3, "Timeout": "00:00:30" },
                "Description": "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore."
              },

            """.Replace("\n", "\r\n", StringComparison.Ordinal));
        }

        builder.Append("  \"End\": true\r\n}\r\n");
        return builder.ToString();
    }
}
