using System.Text.RegularExpressions;
using Proton.Sdk.Rendering;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Rendering;

public sealed class CorpusRenderTests
{
    // The user guide shows case 170's rendering with '{{service_instance.name}}' still in it and a comment header dropped.
    private static readonly HashSet<string> DocumentedRenderingIsUnrendered = ["170"];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var id in Corpus.RenderCaseIds())
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RenderCase_MatchesJinja2(string id)
    {
        var dir = Path.Combine(Corpus.RenderCases, id);
        var template = File.ReadAllText(Path.Combine(dir, "template.yaml"));
        var context = RenderContext.FromJson(File.ReadAllText(Path.Combine(dir, "context.json")));
        var renderer = new TemplateRenderer();
        var expectedPath = Path.Combine(dir, "expected.yaml");
        if (File.Exists(expectedPath))
        {
            var output = renderer.Render(template, "template.yaml", context);
            var expected = File.ReadAllText(expectedPath);
            Assert.Equal(expected, output);
            var aws = Path.Combine(dir, "aws_expected.yaml");
            if (File.Exists(aws))
            {
                var published = File.ReadAllText(aws);
                var variant = Corpus.Meta(id).GetProperty("variant").GetString();
                if (variant == "aws-template-checker")
                {
                    // AWS's template-checker fixtures: byte for byte.
                    Assert.Equal(published, output);
                }
                else if (!DocumentedRenderingIsUnrendered.Contains(id))
                {
                    // User-guide renderings are illustrative: AWS's pages end the block with a newline.
                    Assert.Equal(published.TrimEnd('\n'), output.TrimEnd('\n'));
                }
            }

            return;
        }

        var error = File.ReadAllText(Path.Combine(dir, "expected_error.txt")).Trim();
        var ex = Assert.Throws<RenderException>(() => renderer.Render(template, "template.yaml", context));
        var expectedKind = error.Split(':')[0] switch
        {
            "TemplateSyntaxError" => RenderErrorKind.Syntax,
            "UndefinedError" => RenderErrorKind.Undefined,
            "ProtonRenderError" => RenderErrorKind.Filter,
            var other => throw new InvalidOperationException("unknown error kind " + other),
        };
        Assert.Equal(expectedKind, ex.Kind);
        Assert.Equal("template.yaml", ex.File);
        var line = Regex.Match(error, @"\(line (\d+)\)$");
        if (line.Success)
        {
            Assert.Equal(int.Parse(line.Groups[1].Value), ex.Line);
        }

        // The message names what was wrong, as jinja2's does (without jinja2's exception class prefix).
        var detail = error[(error.IndexOf(':') + 2)..];
        detail = Regex.Replace(detail, @" \(line \d+\)$", string.Empty);
        Assert.Equal(detail, ex.Detail);
    }
}
