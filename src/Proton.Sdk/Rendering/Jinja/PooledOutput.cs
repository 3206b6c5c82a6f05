using System.Buffers;
using Scriban;
using Scriban.Runtime;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// Scriban output into a char buffer that a context keeps between renders: the only allocation per render is the
/// resulting string (a StringBuilder reused with Length = 0 copies its whole buffer each time).
/// </summary>
internal sealed class PooledOutput(TemplateContext owner) : IScriptOutput
{
    private char[] _buffer = ArrayPool<char>.Shared.Rent(16 * 1024);
    private int _length;

    public int Length => _length;

    /// <summary>The most characters a render may write; writing past it fails at once (a loop cannot fill memory first).</summary>
    public int Limit { get; set; } = int.MaxValue;

    public void Clear() => _length = 0;

    public void Write(string text, int offset, int count)
    {
        if ((long)_length + count > Limit)
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, owner.CurrentSpan, $"the rendering is longer than {Limit} characters, the output limit");
        }

        if (_length + count > _buffer.Length)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        text.AsSpan(offset, count).CopyTo(_buffer.AsSpan(_length));
        _length += count;
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => new(_buffer, 0, _length);
}
