using System.Text.Json;
using System.Text.RegularExpressions;
using Proton.Sdk.Rendering;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Rendering;

/// <summary>
/// Constructs of Proton's Jinja dialect that the corpus does not exercise. Golden/cases.json holds the templates and
/// contexts; Golden/expected.json is produced from them by Jinja2 3.1.2 through the corpus's render_jinja.py
/// (Golden/regenerate.py), never by hand.
/// </summary>
public sealed class GoldenRenderTests
{
    private static readonly string Folder = Path.Combine(Corpus.RepoRoot, "tests", "Proton.Sdk.Tests", "Rendering", "Golden");

    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json"))).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c));

    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json"))).RootElement);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Value.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void EveryCaseHasAnExpectation()
    {
        Assert.Equal(Cases.Value.Keys.Order(), Expected.Value.EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Render_MatchesJinja2(string name)
    {
        var test = Cases.Value[name];
        var template = test.GetProperty("template").GetString()!;
        var context = RenderContext.FromJson(test.GetProperty("context").GetRawText());
        var expected = Expected.Value.GetProperty(name);
        var renderer = new TemplateRenderer();

        if (expected.TryGetProperty("output", out var output))
        {
            Assert.Equal(output.GetString(), renderer.Render(template, name, context));
            return;
        }

        var error = expected.GetProperty("error").GetString()!;
        var ex = Assert.Throws<RenderException>(() => renderer.Render(template, name, context));
        var colon = error.IndexOf(':', StringComparison.Ordinal);
        var kind = error[..colon] switch
        {
            "TemplateSyntaxError" => RenderErrorKind.Syntax,
            "UndefinedError" => RenderErrorKind.Undefined,
            "TypeError" => RenderErrorKind.Type,
            "ValueError" => RenderErrorKind.Value,
            "ProtonRenderError" => RenderErrorKind.Filter,
            var other => throw new InvalidOperationException(other),
        };
        Assert.Equal(kind, ex.Kind);
        var message = error[(colon + 2)..];
        var line = Regex.Match(message, @" \(line (\d+)\)$");
        if (line.Success)
        {
            Assert.Equal(int.Parse(line.Groups[1].Value), ex.Line);
            message = message[..line.Index];
        }

        Assert.Equal(message, ex.Detail);
        Assert.True(ex.Line >= 1 && ex.Column >= 1, $"location {ex.Line}:{ex.Column}");
    }
}
