namespace ConfigManager.Core.Substitution;

/// <summary>Walks a JSON (with comments) text forwards and tells, for increasing offsets, whether the offset sits
/// inside a string literal, a comment, or outside both.</summary>
internal sealed class JsonPositions(string text)
{
    // JSON strings and // comments cannot span lines, so without /* anywhere every line starts outside
    // both and only the lines holding tokens need walking.
    private readonly bool _linesStartOutside = !text.Contains("/*", StringComparison.Ordinal);
    private int _position;
    private Place _place = Place.Outside;

    public enum Place
    {
        Outside,
        InString,
        InLineComment,
        InBlockComment,
    }

    /// <summary>Offset of the opening quote of the string the last answer was inside.</summary>
    public int StringOpen { get; private set; } = -1;

    public Place At(int offset)
    {
        if (_linesStartOutside && offset > _position)
        {
            var lineStart = text.LastIndexOf('\n', offset - 1, offset - _position) + 1;
            if (lineStart > _position)
            {
                _position = lineStart;
                _place = Place.Outside;
            }
        }

        while (_position < offset)
        {
            var rest = text.AsSpan(_position, offset - _position);
            switch (_place)
            {
                case Place.Outside:
                    {
                        var hit = rest.IndexOfAny('"', '/');
                        if (hit < 0)
                        {
                            _position = offset;
                            break;
                        }

                        var at = _position + hit;
                        var next = at + 1 < text.Length ? text[at + 1] : '\0';
                        if (text[at] == '"')
                        {
                            _place = Place.InString;
                            StringOpen = at;
                            _position = at + 1;
                        }
                        else if (next is '/' or '*')
                        {
                            _place = next == '/' ? Place.InLineComment : Place.InBlockComment;
                            _position = at + 2;
                        }
                        else
                        {
                            _position = at + 1;
                        }

                        break;
                    }

                case Place.InString:
                    {
                        var hit = rest.IndexOfAny('"', '\\');
                        if (hit < 0)
                        {
                            _position = offset;
                            break;
                        }

                        var at = _position + hit;
                        if (text[at] == '\\')
                        {
                            _position = at + 2;
                        }
                        else
                        {
                            _place = Place.Outside;
                            _position = at + 1;
                        }

                        break;
                    }

                case Place.InLineComment:
                    {
                        var hit = rest.IndexOf('\n');
                        _position = hit < 0 ? offset : _position + hit + 1;
                        _place = hit < 0 ? _place : Place.Outside;
                        break;
                    }

                default:
                    {
                        var hit = text.IndexOf("*/", _position, StringComparison.Ordinal);
                        if (hit < 0 || hit >= offset)
                        {
                            _position = offset;
                            break;
                        }

                        _place = Place.Outside;
                        _position = hit + 2;
                        break;
                    }
            }
        }

        return _place;
    }

    /// <summary>Steps over a token's characters: they are content, not JSON syntax (a token's "//" is no comment).</summary>
    public void SkipTo(int offset) => _position = Math.Max(_position, offset);
}
