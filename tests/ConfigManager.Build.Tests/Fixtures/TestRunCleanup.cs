namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>Removes the run's temp projects and package folder at the end (set CMTEST_KEEP=1 to keep them for a look).</summary>
[TestClass]
public static class TestRunCleanup
{
    [AssemblyCleanup]
    public static void DeleteRunRoot()
    {
        if (Environment.GetEnvironmentVariable("CMTEST_KEEP") == "1" || !Directory.Exists(LocalPackageFeed.RunRoot))
        {
            return;
        }

        try
        {
            Directory.Delete(LocalPackageFeed.RunRoot, recursive: true);
        }
        catch (IOException)
        {
            // A build node still exiting may hold a file; the OS temp cleaner gets the rest.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
