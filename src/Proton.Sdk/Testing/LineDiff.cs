using System.Text;

namespace Proton.Sdk.Testing;

/// <summary>A unified diff of two texts by lines (longest common subsequence; three lines of context).</summary>
internal static class LineDiff
{
    private const int Context = 3;

    public static string Unified(string oldText, string newText, string oldName, string newName)
    {
        var a = Split(oldText);
        var b = Split(newText);
        var ops = Operations(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: from Context lines before the change to Context lines after the last change closer than 2 * Context.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    end++;
                    continue;
                }

                var run = end;
                while (run < ops.Count && ops[run].Kind == ' ')
                {
                    run++;
                }

                if (run == ops.Count || run - end > 2 * Context)
                {
                    end = Math.Min(ops.Count, end + Context);
                    break;
                }

                end = run;
            }

            var oldStart = ops[start].OldLine;
            var newStart = ops[start].NewLine;
            var oldCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '+');
            var newCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '-');
            sb.Append("@@ -").Append(oldStart + (oldCount > 0 ? 1 : 0)).Append(',').Append(oldCount)
              .Append(" +").Append(newStart + (newCount > 0 ? 1 : 0)).Append(',').Append(newCount).Append(" @@\n");
            for (var k = start; k < end; k++)
            {
                sb.Append(ops[k].Kind).Append(ops[k].Text).Append('\n');
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string[] Split(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private readonly record struct Op(char Kind, string Text, int OldLine, int NewLine);

    private static List<Op> Operations(string[] a, string[] b)
    {
        // Trim the common head and tail, then LCS on the middle (bounded: past 4M cells, the middle is one replacement).
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[a.Length - 1 - tail] == b[b.Length - 1 - tail])
        {
            tail++;
        }

        var n = a.Length - head - tail;
        var m = b.Length - head - tail;
        var ops = new List<Op>(a.Length + b.Length);
        for (var k = 0; k < head; k++)
        {
            ops.Add(new Op(' ', a[k], k, k));
        }

        if ((long)n * m <= 4_000_000)
        {
            var lcs = new int[n + 1, m + 1];
            for (var x = n - 1; x >= 0; x--)
            {
                for (var y = m - 1; y >= 0; y--)
                {
                    lcs[x, y] = a[head + x] == b[head + y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
                }
            }

            int p = 0, q = 0;
            while (p < n || q < m)
            {
                if (p < n && q < m && a[head + p] == b[head + q])
                {
                    ops.Add(new Op(' ', a[head + p], head + p, head + q));
                    p++;
                    q++;
                }
                else if (q < m && (p == n || lcs[p, q + 1] > lcs[p + 1, q]))
                {
                    ops.Add(new Op('+', b[head + q], head + p, head + q));
                    q++;
                }
                else
                {
                    ops.Add(new Op('-', a[head + p], head + p, head + q));
                    p++;
                }
            }
        }
        else
        {
            for (var k = 0; k < n; k++)
            {
                ops.Add(new Op('-', a[head + k], head + k, head));
            }

            for (var k = 0; k < m; k++)
            {
                ops.Add(new Op('+', b[head + k], head + n, head + k));
            }
        }

        for (var k = 0; k < tail; k++)
        {
            ops.Add(new Op(' ', a[a.Length - tail + k], a.Length - tail + k, b.Length - tail + k));
        }

        return ops;
    }
}
