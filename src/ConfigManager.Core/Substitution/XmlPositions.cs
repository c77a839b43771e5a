namespace ConfigManager.Core.Substitution;

/// <summary>Walks an XML text forwards and tells, for increasing offsets, whether the offset is in a comment,
/// a CDATA section, a processing instruction, a DOCTYPE (its internal subset and entity values included), or
/// elsewhere (text or attribute, both escaped the same way).</summary>
internal sealed class XmlPositions(string text)
{
    // Most configuration files have neither; then every offset is plain markup and nothing needs walking.
    private readonly bool _hasCommentsOrCData = text.Contains("<!", StringComparison.Ordinal) || text.Contains("<?", StringComparison.Ordinal);
    private int _position;
    private int _doctypeEnd;
    private Place _place = Place.Markup;

    public enum Place
    {
        Markup,
        Comment,
        CData,

        /// <summary>Inside <c>&lt;? ... ?&gt;</c>: content is literal, no entities.</summary>
        ProcessingInstruction,

        /// <summary>Inside <c>&lt;!DOCTYPE ... &gt;</c>: entity values have their own escaping (<c>%</c>, <c>&amp;</c>).</summary>
        Doctype,
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
                else if (string.CompareOrdinal(text, at, "<?", 0, 2) == 0)
                {
                    _place = Place.ProcessingInstruction;
                    _position = at + 2;
                }
                else if (string.CompareOrdinal(text, at, "<!DOCTYPE", 0, 9) == 0)
                {
                    _place = Place.Doctype;
                    _doctypeEnd = DoctypeEnd(at + 9);
                    _position = at + 9;
                }
                else
                {
                    _position = at + 1;
                }
            }
            else if (_place == Place.Doctype)
            {
                if (_doctypeEnd >= offset)
                {
                    _position = offset;
                    break;
                }

                _place = Place.Markup;
                _position = _doctypeEnd + 1;
            }
            else
            {
                var close = _place switch { Place.Comment => "-->", Place.CData => "]]>", _ => "?>" };
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

    // The '>' that closes a DOCTYPE: not inside quotes, the [internal subset] or a comment; the text's end if none.
    private int DoctypeEnd(int from)
    {
        var depth = 0;
        char quote = '\0';
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '<' && string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
            {
                var close = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 2;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == '>' && depth == 0)
            {
                return i;
            }
        }

        return text.Length;
    }
}
