namespace ConfigManager.Core.Substitution;

/// <summary>
/// Walks a YAML text forwards, character by character, far enough to tell for increasing offsets which kind of
/// scalar (or comment, or block scalar) an offset belongs to. Not a YAML parser: it tracks quotes, comments,
/// flow brackets, keys and block scalar headers, which is what escaping needs.
/// </summary>
internal sealed class YamlPositions(string text)
{
    private int _position;
    private Mode _mode = Mode.Normal;
    private bool _expectingScalar = true;
    private bool _inPlain;
    private int _scalarStart = -1;
    private int _flowDepth;
    private int _quoteOpen = -1;
    private char _pendingBlock;
    private char _blockKind;
    private int _blockParentIndent;
    private int _lineStart;

    public enum Mode
    {
        Normal,
        DoubleQuoted,
        SingleQuoted,
        Comment,
        Block,
    }

    public enum Kind
    {
        Plain,
        DoubleQuoted,
        SingleQuoted,
        Comment,
        LiteralBlock,
        FoldedBlock,
        Other,
    }

    /// <summary>Where the scalar holding the last classified offset starts (its opening quote for quoted ones).</summary>
    public int ScalarStart { get; private set; }

    /// <summary>Flow depth at the last classified offset (plain scalars end at , ] } inside flow collections).</summary>
    public bool InFlow => _flowDepth > 0;

    public Kind At(int offset)
    {
        while (_position < offset)
        {
            Step();
        }

        switch (_mode)
        {
            case Mode.DoubleQuoted:
                ScalarStart = _quoteOpen;
                return Kind.DoubleQuoted;
            case Mode.SingleQuoted:
                ScalarStart = _quoteOpen;
                return Kind.SingleQuoted;
            case Mode.Comment:
                return Kind.Comment;
            case Mode.Block:
                return _blockKind == '|' ? Kind.LiteralBlock : Kind.FoldedBlock;
        }

        if (_expectingScalar)
        {
            ScalarStart = offset;
            return Kind.Plain;
        }

        if (_inPlain)
        {
            ScalarStart = _scalarStart;
            return Kind.Plain;
        }

        return Kind.Other;
    }

    /// <summary>Steps over a token: its characters are scalar content (its "://" is no key indicator).</summary>
    public void SkipTo(int start, int end)
    {
        if (_mode == Mode.Normal && _expectingScalar)
        {
            _expectingScalar = false;
            _inPlain = true;
            _scalarStart = start;
        }

        _position = Math.Max(_position, end);
    }

    private void Step()
    {
        var i = _position;
        var c = text[i];
        _position++;
        if (c == '\n')
        {
            NewLine(i + 1);
            return;
        }

        switch (_mode)
        {
            case Mode.DoubleQuoted:
                if (c == '\\')
                {
                    _position++;
                }
                else if (c == '"')
                {
                    CloseQuoted();
                }

                return;
            case Mode.SingleQuoted:
                if (c == '\'')
                {
                    if (Peek(i + 1) == '\'')
                    {
                        _position++;
                    }
                    else
                    {
                        CloseQuoted();
                    }
                }

                return;
            case Mode.Comment:
            case Mode.Block:
                return;
        }

        if (c is ' ' or '\t' or '\r')
        {
            return;
        }

        if (c == '#' && (i == _lineStart || Peek(i - 1) is ' ' or '\t'))
        {
            _mode = Mode.Comment;
            _inPlain = false;
            return;
        }

        if (_expectingScalar)
        {
            switch (c)
            {
                case '"':
                case '\'':
                    _mode = c == '"' ? Mode.DoubleQuoted : Mode.SingleQuoted;
                    _quoteOpen = i;
                    _expectingScalar = false;
                    return;
                case '-' or '?' when IsBlankOrEnd(Peek(i + 1)):
                    return;
                case '[' or '{':
                    _flowDepth++;
                    return;
                case '|' or '>' when _flowDepth == 0:
                    _pendingBlock = c;
                    _expectingScalar = false;
                    return;
                case '&' or '!':
                    while (_position < text.Length && !IsBlankOrEnd(text[_position]))
                    {
                        _position++;
                    }

                    return;
                default:
                    _expectingScalar = false;
                    _inPlain = true;
                    _scalarStart = i;
                    return;
            }
        }

        if (c == ':' && (IsBlankOrEnd(Peek(i + 1)) || (_flowDepth > 0 && Peek(i + 1) is ',' or ']' or '}')))
        {
            _inPlain = false;
            _expectingScalar = true;
            return;
        }

        if (_flowDepth > 0 && c is ',' or ']' or '}')
        {
            _inPlain = false;
            _expectingScalar = c == ',';
            if (c != ',')
            {
                _flowDepth--;
            }
        }
    }

    private void CloseQuoted()
    {
        _mode = Mode.Normal;
        _inPlain = false;
        _expectingScalar = false;
    }

    private void NewLine(int lineStart)
    {
        var parentIndent = Indent(_lineStart);
        _lineStart = lineStart;
        if (_mode is Mode.DoubleQuoted or Mode.SingleQuoted)
        {
            return;
        }

        if (_pendingBlock != '\0')
        {
            _mode = Mode.Block;
            _blockKind = _pendingBlock;
            _blockParentIndent = parentIndent;
            _pendingBlock = '\0';
        }

        if (_mode == Mode.Block)
        {
            var end = text.IndexOf('\n', lineStart);
            var line = text.AsSpan(lineStart, (end < 0 ? text.Length : end) - lineStart);
            if (line.Trim().IsEmpty || Indent(lineStart) > _blockParentIndent)
            {
                // Stay in the block: skip its content line whole.
                _position = end < 0 ? text.Length : end;
                return;
            }
        }

        _mode = Mode.Normal;
        _inPlain = false;
        _expectingScalar = _flowDepth == 0 || _expectingScalar;
    }

    private int Indent(int lineStart)
    {
        var p = lineStart;
        while (p < text.Length && text[p] == ' ')
        {
            p++;
        }

        return p - lineStart;
    }

    private char Peek(int i) => i >= 0 && i < text.Length ? text[i] : '\0';

    private static bool IsBlankOrEnd(char c) => c is ' ' or '\t' or '\r' or '\n' or '\0';
}
