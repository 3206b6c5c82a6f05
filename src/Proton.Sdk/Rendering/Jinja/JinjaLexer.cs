using System.Globalization;
using System.Text;

namespace Proton.Sdk.Rendering.Jinja;

internal enum TokenKind
{
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    RawData,
    Eof,
    Error,
}

internal readonly record struct Token(TokenKind Kind, string Value, int Line, int Column, int Offset)
{
    public object? Literal { get; init; }

    public string Describe() => Kind switch
    {
        TokenKind.VariableEnd => "end of print statement",
        TokenKind.BlockEnd => "end of statement block",
        TokenKind.VariableBegin => "begin of print statement",
        TokenKind.BlockBegin => "begin of statement block",
        TokenKind.Eof => "end of template",
        TokenKind.Data => "template data / text",
        TokenKind.String => "string",
        TokenKind.Integer => "integer",
        TokenKind.Float => "float",
        _ => Value,
    };
}

/// <summary>A syntax error in a Jinja template, with its 1-based line and column; <see cref="IsLimit"/> when a nesting budget was hit.</summary>
internal sealed class JinjaSyntaxException(string message, int line, int column, bool isLimit = false) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>True when the template is refused for its size or nesting, not for its grammar.</summary>
    public bool IsLimit { get; } = isLimit;
}

/// <summary>Splits Jinja source into tokens the way jinja2 3.1's lexer does (default delimiters, no trim_blocks/lstrip_blocks).</summary>
internal sealed class JinjaLexer
{
    private static readonly string[] Operators =
    [
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    ];

    private readonly string _src;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private JinjaLexer(string source)
    {
        _src = source;
    }

    /// <summary>Normalizes newlines to \n and drops one trailing newline, as jinja2 does with keep_trailing_newline=False.</summary>
    public static string Normalize(string source)
    {
        if (source.Contains('\r', StringComparison.Ordinal))
        {
            source = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        }

        return source.EndsWith('\n') ? source[..^1] : source;
    }

    public static List<Token> Tokenize(string normalizedSource)
    {
        var lexer = new JinjaLexer(normalizedSource);
        try
        {
            lexer.Run();
        }
        catch (JinjaSyntaxException ex)
        {
            // jinja2 lexes lazily: a parse error before this point wins, so the error waits in the stream.
            lexer._tokens.Add(new Token(TokenKind.Error, ex.Message, ex.Line, ex.Column, lexer._pos) { Literal = ex });
        }

        return lexer._tokens;
    }

    private int Column => _pos - _lineStart + 1;

    private void Run()
    {
        var stripNextData = false;
        while (_pos < _src.Length)
        {
            var next = FindTagStart(_pos);
            var dataEnd = next < 0 ? _src.Length : next;
            var text = _src[_pos..dataEnd];
            var isStrip = next >= 0 && next + 2 < _src.Length && _src[next + 2] == '-';
            if (stripNextData)
            {
                text = text.TrimStart();
                stripNextData = false;
            }

            if (isStrip)
            {
                text = text.TrimEnd();
            }

            if (text.Length > 0)
            {
                _tokens.Add(new Token(TokenKind.Data, text, _line, Column, _pos));
            }

            Advance(dataEnd - _pos);
            if (next < 0)
            {
                break;
            }

            var kind = _src[next + 1];
            var startLine = _line;
            var startCol = Column;
            Advance(isStrip || (next + 2 < _src.Length && _src[next + 2] == '+') ? 3 : 2);
            switch (kind)
            {
                case '#':
                    stripNextData = SkipComment(startLine, startCol);
                    break;
                case '{':
                    _tokens.Add(new Token(TokenKind.VariableBegin, "{{", startLine, startCol, next));
                    stripNextData = LexInside(TokenKind.VariableEnd, startLine, startCol);
                    break;
                default:
                    if (TryRaw(startLine, startCol, out var strip))
                    {
                        stripNextData = strip;
                        break;
                    }

                    _tokens.Add(new Token(TokenKind.BlockBegin, "{%", startLine, startCol, next));
                    stripNextData = LexInside(TokenKind.BlockEnd, startLine, startCol);
                    break;
            }
        }

        // Like jinja2, the end of the template carries the line of the last token.
        var last = _tokens.Count > 0 ? _tokens[^1] : new Token(TokenKind.Eof, string.Empty, 1, 1, 0);
        _tokens.Add(new Token(TokenKind.Eof, string.Empty, last.Line, last.Column, _pos));
    }

    private int FindTagStart(int from)
    {
        var i = from;
        while ((i = _src.IndexOf('{', i)) >= 0 && i + 1 < _src.Length)
        {
            var c = _src[i + 1];
            if (c is '{' or '%' or '#')
            {
                return i;
            }

            i++;
        }

        return -1;
    }

    private void Advance(int count)
    {
        var end = _pos + count;
        for (var i = _pos; i < end; i++)
        {
            if (_src[i] == '\n')
            {
                _line++;
                _lineStart = i + 1;
            }
        }

        _pos = end;
    }

    private bool SkipComment(int line, int col)
    {
        var end = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new JinjaSyntaxException("Missing end of comment tag", line, col);
        }

        var strip = end > _pos && _src[end - 1] == '-';
        Advance(end + 2 - _pos);
        return strip;
    }

    /// <summary>Handles {% raw %}...{% endraw %}: the body is data, verbatim.</summary>
    private bool TryRaw(int line, int col, out bool stripAfter)
    {
        stripAfter = false;
        var i = _pos;
        while (i < _src.Length && char.IsWhiteSpace(_src[i]))
        {
            i++;
        }

        if (string.CompareOrdinal(_src, i, "raw", 0, 3) != 0 || (i + 3 < _src.Length && (char.IsLetterOrDigit(_src[i + 3]) || _src[i + 3] == '_')))
        {
            return false;
        }

        i += 3;
        while (i < _src.Length && char.IsWhiteSpace(_src[i]))
        {
            i++;
        }

        var stripInside = false;
        if (i < _src.Length && _src[i] == '-')
        {
            stripInside = true;
            i++;
        }

        if (string.CompareOrdinal(_src, i, "%}", 0, 2) != 0)
        {
            return false;
        }

        Advance(i + 2 - _pos);
        var search = _pos;
        while (true)
        {
            var open = _src.IndexOf("{%", search, StringComparison.Ordinal);
            if (open < 0)
            {
                throw new JinjaSyntaxException("Missing end of raw directive", line, col);
            }

            var j = open + 2;
            var stripBefore = j < _src.Length && _src[j] == '-';
            if (stripBefore || (j < _src.Length && _src[j] == '+'))
            {
                j++;
            }

            while (j < _src.Length && char.IsWhiteSpace(_src[j]))
            {
                j++;
            }

            if (string.CompareOrdinal(_src, j, "endraw", 0, 6) == 0)
            {
                j += 6;
                while (j < _src.Length && char.IsWhiteSpace(_src[j]))
                {
                    j++;
                }

                var stripAfterEnd = j < _src.Length && _src[j] == '-';
                if (stripAfterEnd)
                {
                    j++;
                }

                if (string.CompareOrdinal(_src, j, "%}", 0, 2) == 0)
                {
                    var body = _src[_pos..open];
                    if (stripInside)
                    {
                        body = body.TrimStart();
                    }

                    if (stripBefore)
                    {
                        body = body.TrimEnd();
                    }

                    if (body.Length > 0)
                    {
                        _tokens.Add(new Token(TokenKind.RawData, body, _line, Column, _pos));
                    }

                    Advance(j + 2 - _pos);
                    stripAfter = stripAfterEnd;
                    return true;
                }
            }

            search = open + 2;
        }
    }

    /// <summary>Lexes the inside of {{ }} or {% %}; returns whether the closing tag strips following whitespace.</summary>
    private bool LexInside(TokenKind endKind, int line, int col)
    {
        var balance = new Stack<char>();
        var end = endKind == TokenKind.VariableEnd ? "}}" : "%}";
        while (true)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
            {
                Advance(1);
            }

            if (_pos >= _src.Length)
            {
                throw new JinjaSyntaxException(
                    endKind == TokenKind.VariableEnd ? "unexpected end of template, expected 'end of print statement'." : "unexpected end of template, expected 'end of statement block'.",
                    _line, Column);
            }

            if (balance.Count == 0)
            {
                if (_src[_pos] == '-' && string.CompareOrdinal(_src, _pos + 1, end, 0, 2) == 0)
                {
                    _tokens.Add(new Token(endKind, end, _line, Column, _pos));
                    Advance(3);
                    return true;
                }

                if (string.CompareOrdinal(_src, _pos, end, 0, 2) == 0)
                {
                    _tokens.Add(new Token(endKind, end, _line, Column, _pos));
                    Advance(2);
                    return false;
                }
            }

            var c = _src[_pos];
            if (char.IsLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < _src.Length && (char.IsLetterOrDigit(_src[_pos]) || _src[_pos] == '_'))
                {
                    _pos++;
                }

                var name = _src[start.._pos];
                _pos = start;
                _tokens.Add(new Token(TokenKind.Name, name, _line, Column, _pos));
                Advance(name.Length);
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                LexNumber();
                continue;
            }

            if (c is '"' or '\'')
            {
                LexString(c);
                continue;
            }

            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(_src, _pos, o, 0, o.Length) == 0);
            if (op is null)
            {
                throw new JinjaSyntaxException($"unexpected char '{c}' at {_pos}", _line, Column);
            }

            switch (op)
            {
                case "(" or "[" or "{":
                    balance.Push(op[0]);
                    break;
                case ")" or "]" or "}":
                    var expected = op switch { ")" => '(', "]" => '[', _ => '{' };
                    if (balance.Count == 0)
                    {
                        throw new JinjaSyntaxException($"unexpected '{op}'", _line, Column);
                    }

                    var open = balance.Pop();
                    if (open != expected)
                    {
                        throw new JinjaSyntaxException($"unexpected '{op}', expected '{(open == '(' ? ')' : open == '[' ? ']' : '}')}'", _line, Column);
                    }

                    break;
            }

            _tokens.Add(new Token(TokenKind.Operator, op, _line, Column, _pos));
            Advance(op.Length);
        }
    }

    private void LexNumber()
    {
        var start = _pos;
        var i = _pos;
        while (i < _src.Length && (char.IsAsciiDigit(_src[i]) || (_src[i] == '_' && i + 1 < _src.Length && char.IsAsciiDigit(_src[i + 1]))))
        {
            i++;
        }

        var isFloat = false;
        if (i + 1 < _src.Length && _src[i] == '.' && char.IsAsciiDigit(_src[i + 1]))
        {
            isFloat = true;
            i++;
            while (i < _src.Length && (char.IsAsciiDigit(_src[i]) || (_src[i] == '_' && i + 1 < _src.Length && char.IsAsciiDigit(_src[i + 1]))))
            {
                i++;
            }
        }

        if (i < _src.Length && _src[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < _src.Length && _src[j] is '+' or '-')
            {
                j++;
            }

            if (j < _src.Length && char.IsAsciiDigit(_src[j]))
            {
                isFloat = true;
                i = j;
                while (i < _src.Length && char.IsAsciiDigit(_src[i]))
                {
                    i++;
                }
            }
        }

        var text = _src[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
        object literal = isFloat
            ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : (object)System.Numerics.BigInteger.Parse(text, CultureInfo.InvariantCulture);
        if (literal is System.Numerics.BigInteger)
        {
            throw new JinjaSyntaxException($"integer literal {text} is out of range", _line, Column);
        }

        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, _src[start..i], _line, Column, _pos) { Literal = literal });
        Advance(i - start);
    }

    private void LexString(char quote)
    {
        var line = _line;
        var col = Column;
        var i = _pos + 1;
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= _src.Length)
            {
                throw new JinjaSyntaxException("unexpected end of string", line, col);
            }

            var c = _src[i];
            if (c == quote)
            {
                i++;
                break;
            }

            if (c != '\\' || i + 1 >= _src.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }

            var e = _src[i + 1];
            i += 2;
            switch (e)
            {
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '0': sb.Append('\0'); break;
                case '\n': break;
                case 'x' when i + 2 <= _src.Length && IsHex(_src.AsSpan(i, 2)):
                    sb.Append((char)int.Parse(_src.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u' when i + 4 <= _src.Length && IsHex(_src.AsSpan(i, 4)):
                    sb.Append((char)int.Parse(_src.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'U' when i + 8 <= _src.Length && IsHex(_src.AsSpan(i, 8)):
                    sb.Append(char.ConvertFromUtf32(int.Parse(_src.AsSpan(i, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i += 8;
                    break;
                default:
                    sb.Append('\\').Append(e);
                    break;
            }
        }

        _tokens.Add(new Token(TokenKind.String, _src[_pos..i], line, col, _pos) { Literal = sb.ToString() });
        Advance(i - _pos);
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
