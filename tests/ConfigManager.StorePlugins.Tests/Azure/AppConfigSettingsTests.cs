using ConfigManager.Plugins.AzAppConfig;

namespace ConfigManager.StorePlugins.Tests.Azure;

/// <summary>Where AZAPPCONF sends a store's requests, which token audience it asks for, and when the connection string applies.</summary>
[TestClass]
public sealed class AppConfigSettingsTests
{
    [TestMethod]
    [DataRow(null, "https://orders-config.azconfig.io/", "https://azconfig.io/.default", DisplayName = "public cloud")]
    [DataRow("azconfig.azure.cn", "https://orders-config.azconfig.azure.cn/", "https://azconfig.azure.cn/.default", DisplayName = "Azure China")]
    [DataRow("azconfig.azure.us", "https://orders-config.azconfig.azure.us/", "https://appconfig.azure.us/.default", DisplayName = "Azure US Government")]
    public void Dns_suffix_gives_endpoint_and_documented_audience(string? suffix, string endpoint, string scope)
    {
        var settings = new AppConfigSettings(null, suffix, null, null);

        Assert.AreEqual(endpoint, settings.StoreUri("orders-config").ToString());
        Assert.AreEqual(scope, settings.Scope(settings.StoreUri("orders-config")));
    }

    [TestMethod]
    public void Endpoint_template_takes_the_store_and_its_origin_is_the_audience_unless_overridden()
    {
        var custom = new AppConfigSettings("https://{store}.privatelink.azconfig.io:8443", null, null, null);
        var pinned = new AppConfigSettings("https://{store}.privatelink.azconfig.io:8443", null, "https://azconfig.io", null);

        Assert.AreEqual("https://orders-config.privatelink.azconfig.io:8443/", custom.StoreUri("orders-config").ToString());
        Assert.AreEqual("https://orders-config.privatelink.azconfig.io:8443/.default", custom.Scope(custom.StoreUri("orders-config")));
        Assert.AreEqual("https://azconfig.io/.default", pinned.Scope(pinned.StoreUri("orders-config")));
    }

    [TestMethod]
    public void Connection_string_signs_only_for_the_store_it_names()
    {
        var secret = Convert.ToBase64String(new byte[] { 1, 2, 3, 4 });
        var settings = new AppConfigSettings(null, null, null, $"Endpoint=https://orders-config.azconfig.io;Id=key-1;Secret={secret}");

        var own = settings.AccessKeyFor(settings.StoreUri("orders-config"));

        Assert.IsNotNull(own);
        Assert.AreEqual("key-1", own.Id);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4 }, own.Secret);
        Assert.IsNull(settings.AccessKeyFor(settings.StoreUri("other-config")), "another store uses Entra ID");
    }

    [TestMethod]
    [DataRow("Endpoint=https://x.azconfig.io;Id=k", "must have Endpoint=, Id= and Secret=")]
    [DataRow("Endpoint=ftp://x;Id=k;Secret=AQID", "Endpoint 'ftp://x' is not an https URI")]
    [DataRow("Endpoint=https://x.azconfig.io;Id=k;Secret=AQID;Colour=red", "unknown part 'Colour'")]
    public void Malformed_connection_string_says_what_is_wrong_without_repeating_it(string text, string expected)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => AppConfigConnectionString.Parse(text, "AZURE_APPCONFIG_CONNECTION_STRING"));

        StringAssert.StartsWith(error.Message, "CM2300: AZURE_APPCONFIG_CONNECTION_STRING ");
        StringAssert.Contains(error.Message, expected);
        Assert.DoesNotContain("AQID", error.Message);
    }
}
