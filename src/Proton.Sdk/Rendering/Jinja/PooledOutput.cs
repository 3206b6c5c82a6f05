using System.Buffers;
using Scriban;
using Scriban.Runtime;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// Scriban output into a char buffer that a context keeps between renders: the only allocation per render is the
/// resulting string (a StringBuilder reused with Length = 0 copies its whole buffer each time).
/// </summary>
internal sealed class PooledOutput(JinjaTemplateContext owner) : IScriptOutput
{
    private char[] _buffer = ArrayPool<char>.Shared.Rent(16 * 1024);
    private int _length;

    public int Length => _length;

    /// <summary>The most characters a render may write; writing past it fails at once (a loop cannot fill memory first).</summary>
    public int Limit { get; set; } = int.MaxValue;

    /// <summary>The error of the first write past <see cref="Limit"/>; the render fails with it (Scriban does not let an output's own exception through).</summary>
    public JinjaRuntimeException? Overflow { get; private set; }

    public void Clear()
    {
        _length = 0;
        Overflow = null;
    }

    public void Write(string text, int offset, int count)
    {
        if (Overflow is not null || (long)_length + count > Limit)
        {
            Overflow ??= new JinjaRuntimeException(JinjaErrorKind.Limit, owner.WriteSpan, $"the rendering is longer than {Limit} characters, the output limit");
            throw Overflow;
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
