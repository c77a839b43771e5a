namespace ConfigManager.Core.Substitution;

/// <summary>Walks an XML text forwards and tells, for increasing offsets, whether the offset is in a comment,
/// a CDATA section, or elsewhere (text or attribute, both escaped the same way).</summary>
internal sealed class XmlPositions(string text)
{
    // Most configuration files have neither; then every offset is plain markup and nothing needs walking.
    private readonly bool _hasCommentsOrCData = text.Contains("<!--", StringComparison.Ordinal) || text.Contains("<![CDATA[", StringComparison.Ordinal);
    private int _position;
    private Place _place = Place.Markup;

    public enum Place
    {
        Markup,
        Comment,
        CData,
    }

    public Place At(int offset)
    {
        if (!_hasCommentsOrCData)
        {
            return Place.Markup;
        }

        while (_position < offset)
        {
            if (_place == Place.Markup)
            {
                var hit = text.AsSpan(_position, offset - _position).IndexOf('<');
                if (hit < 0)
                {
                    _position = offset;
                    break;
                }

                var at = _position + hit;
                if (string.CompareOrdinal(text, at, "<!--", 0, 4) == 0)
                {
                    _place = Place.Comment;
                    _position = at + 4;
                }
                else if (string.CompareOrdinal(text, at, "<![CDATA[", 0, 9) == 0)
                {
                    _place = Place.CData;
                    _position = at + 9;
                }
                else
                {
                    _position = at + 1;
                }
            }
            else
            {
                var close = _place == Place.Comment ? "-->" : "]]>";
                var hit = text.IndexOf(close, _position, StringComparison.Ordinal);
                if (hit < 0 || hit >= offset)
                {
                    _position = offset;
                    break;
                }

                _place = Place.Markup;
                _position = hit + close.Length;
            }
        }

        return _place;
    }

    public void SkipTo(int offset) => _position = Math.Max(_position, offset);
}
