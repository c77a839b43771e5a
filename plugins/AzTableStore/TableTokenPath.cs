namespace ConfigManager.Plugins.AzTableStore;

/// <summary>The store path of an AZTABLESTORE token: <c>account/table/partitionKey/rowKey</c> (leading '/' optional).</summary>
internal sealed record TableTokenPath(string Account, string Table, string PartitionKey, string RowKey)
{
    public static TableTokenPath Parse(string token)
    {
        var parts = token.TrimStart('/').Split('/');
        if (parts.Length != 4 || parts.Any(part => part.Length == 0))
        {
            // Table keys cannot contain '/', so exactly four segments is the only valid shape.
            throw new FormatException(
                $"AZTABLESTORE token '{token}' must be account/table/partitionKey/rowKey (four non-empty segments separated by '/')");
        }

        return new TableTokenPath(parts[0], parts[1], parts[2], parts[3]);
    }

    public override string ToString() => $"{Account}/{Table}/{PartitionKey}/{RowKey}";
}
