using System.Text.Json;

// Reads the appsettings.json that the build resolved into the output folder.
var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
using var settings = JsonDocument.Parse(File.ReadAllText(path));
var root = settings.RootElement;
Console.WriteLine(root.GetProperty("Greeting").GetString());
Console.WriteLine($"database password is {root.GetProperty("Database").GetProperty("Password").GetString()!.Length} characters long");
Console.WriteLine($"beta feature: {root.GetProperty("Features").GetString()}");
