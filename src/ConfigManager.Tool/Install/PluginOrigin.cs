using System.Globalization;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool.Install;

/// <summary>Where one plugin's bytes come from: a file, or a URL fetched with the installer's client.</summary>
internal sealed record PluginOrigin(string Location, bool IsUrl, HttpClient Http)
{
    /// <summary>The binary inside a downloaded package, when the plugin comes from one.</summary>
    public System.IO.Compression.ZipArchiveEntry? Entry { get; init; }

    /// <summary>The SHA-256 the package recorded for <see cref="Entry"/>.</summary>
    public string? Recorded { get; init; }

    private readonly string? _checksumLabel;

    /// <summary>What the published checksum is, in messages: the .sha256 beside the binary, or the package's record.</summary>
    public string ChecksumLabel
    {
        get => _checksumLabel ?? $"'{Location}.sha256'";
        init => _checksumLabel = value;
    }

    public async Task<(Stream Content, long? Length, IDisposable? Owner)> OpenAsync(CancellationToken cancellationToken)
    {
        if (Entry is not null)
        {
            return (Entry.Open(), Entry.Length, null);
        }

        if (!IsUrl)
        {
            var file = File.OpenRead(Location);
            return (file, file.Length, null);
        }

        HttpResponseMessage? response = null;
        try
        {
            response = await Http.GetAsync(Location, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ConfigManagerException(
                    ToolErrorCodes.DownloadFailed,
                    $"Downloading '{Location}' failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}. Check --source and that a release exists for this platform.",
                    Location);
            }

            if (response.Content.Headers.ContentType?.MediaType is "text/html" or "application/xhtml+xml")
            {
                throw PluginInstaller.NotABinary(System.IO.Path.GetFileName(new Uri(Location).AbsolutePath), Location);
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return (stream, response.Content.Headers.ContentLength, response);
        }
        catch (HttpRequestException ex)
        {
            response?.Dispose();
            throw new ConfigManagerException(ToolErrorCodes.DownloadFailed, $"Downloading '{Location}' failed: {ex.Message}", Location, ex);
        }
        catch (ConfigManagerException)
        {
            response?.Dispose();
            throw;
        }
    }

    /// <summary>The hex SHA-256 published as <c>&lt;location&gt;.sha256</c> (sha256sum format accepted), or null if none.</summary>
    public async Task<string?> ReadPublishedChecksumAsync(HttpClient http, CancellationToken cancellationToken)
    {
        if (Recorded is not null)
        {
            return Recorded;
        }

        string? text;
        if (IsUrl)
        {
            try
            {
                using var response = await http.GetAsync(Location + ".sha256", cancellationToken).ConfigureAwait(false);
                text = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : null;
            }
            catch (HttpRequestException ex)
            {
                throw new ConfigManagerException(ToolErrorCodes.DownloadFailed, $"Downloading '{Location}.sha256' failed: {ex.Message}", Location, ex);
            }
        }
        else
        {
            text = File.Exists(Location + ".sha256") ? await File.ReadAllTextAsync(Location + ".sha256", cancellationToken).ConfigureAwait(false) : null;
        }

        if (text is null)
        {
            return null;
        }

        var first = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        if (first.Length != 64 || !first.All(Uri.IsHexDigit))
        {
            throw new ConfigManagerException(
                ToolErrorCodes.ChecksumMismatch,
                $"'{Location}.sha256' does not start with a SHA-256 hex digest. Publish it as 'sha256sum' prints it.",
                Location);
        }

        return first.ToLower(CultureInfo.InvariantCulture);
    }
}
