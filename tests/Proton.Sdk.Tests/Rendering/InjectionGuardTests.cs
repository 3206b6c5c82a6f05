using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Rendering;

public sealed class InjectionGuardTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private const string Evil = "x\n  Evil:\n    Type: AWS::IAM::User";

    private const string Template = """
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              Tags:
                - Key: quoted
                  Value: "{{ environment.inputs.label }}"
              BucketName: {{ environment.inputs.name }}
        Outputs:
          Name:
            Value: {{ environment.inputs.name }}
        """;

    private static readonly TemplateRenderer Renderer = new();

    public static TheoryData<string> CfnCases()
    {
        var data = new TheoryData<string>();
        foreach (var id in Corpus.RenderCaseIds())
        {
            if (Load(id) is not null)
            {
                data.Add(id);
            }
        }

        return data;
    }

    [Fact]
    public void Check_NewlineAndResourceInUnquotedInput_TripsAndNamesIt()
    {
        var (check, output) = Run(Template, name: Evil, label: "ok");

        Assert.Contains("Evil:", output, StringComparison.Ordinal);
        Assert.True(check.Tripped);
        Assert.Equal(["environment.inputs.name"], check.Inputs);
        var d = Assert.Single(check.Diagnostics);
        Assert.Equal(RenderErrorCodes.Injection, d.Code);
        Assert.True(d.Message.Contains("adds Resources Evil AWS::IAM::User", StringComparison.Ordinal), d.Message);
        var ex = Assert.Throws<ProtonValidationException>(check.ThrowIfTripped);
        Assert.Equal("render.injection", ex.ErrorCode);
    }

    [Theory]
    [InlineData("it's a \"quoted\": value # not a comment")]
    [InlineData("a: b, c: [d], {e}")]
    public void Check_QuotesAndColonsInsideQuotedScalar_DoNotTrip(string label)
    {
        var (check, _) = Run(Template, name: "plain-name", label: label.Replace("\"", "'", StringComparison.Ordinal));

        Assert.True(check.Checked);
        Assert.False(check.Tripped);
    }

    [Fact]
    public void Check_ValueThatBreaksYaml_Trips()
    {
        var (check, _) = Run(Template, name: "plain", label: "a\" b: \"c\n  d");

        Assert.True(check.Tripped);
        Assert.Equal(["environment.inputs.label"], check.Inputs);
    }

    [Fact]
    public void Check_TwoInputs_NamesOnlyTheGuiltyOne()
    {
        var (check, _) = Run(Template, name: Evil, label: "has: colon");

        Assert.Equal(["environment.inputs.name"], check.Inputs);
    }

    [Fact]
    public void Check_PlainValues_NotChecked()
    {
        var (check, _) = Run(Template, name: "bucket-1", label: "My label, v1.0");

        Assert.False(check.Checked);
        Assert.False(check.Tripped);
    }

    [Fact]
    public void Check_DisabledOrExempt_DoesNotRun()
    {
        var context = Context(Evil, "x");
        var compiled = Renderer.Compile(Template, "cloudformation.yaml");
        var output = Renderer.Render(compiled, context);
        var exempt = new InjectionGuardOptions();
        exempt.ExemptTemplates.Add("cloudformation.yaml");

        Assert.False(InjectionGuard.Check(Renderer, compiled, context, output, new InjectionGuardOptions { Enabled = false }).Tripped);
        Assert.False(InjectionGuard.Check(Renderer, compiled, context, output, exempt).Checked);
    }

    [Theory]
    [MemberData(nameof(CfnCases))]
    public void Check_CorpusCase_DoesNotTrip(string id)
    {
        var c = Load(id)!;

        var check = InjectionGuard.Check(Renderer, c.Template, c.Context, c.Output);

        Assert.False(check.Tripped, string.Join("\n", check.Diagnostics));
    }

    [Theory]
    [MemberData(nameof(CfnCases))]
    public void Check_CorpusCase_EveryInjectionThatChangesStructureIsCaught(string id)
    {
        var c = Load(id)!;
        foreach (var (path, payload, output) in Injections(c))
        {
            // What the structure would be with a harmless value of the same length in the same place.
            var plain = Render(c, path, new string('p', payload.Length));
            var check = InjectionGuard.Check(Renderer, c.Template, Inject(c, path, payload), output);
            if (plain is not null && Structure(output) != Structure(plain))
            {
                Assert.True(check.Tripped, $"{id}: injection into {path} changed the structure and was not caught");
                Assert.Contains(path, check.Inputs);
            }
            else
            {
                Assert.False(check.Tripped, $"{id}: {path} does not change the structure but tripped: {string.Join("\n", check.Diagnostics)}");
            }
        }
    }

    [Fact]
    public void Check_CorpusCasesRenderingInputsUnquoted_TripAndNameThem()
    {
        var caught = new List<string>();
        foreach (var id in Corpus.RenderCaseIds())
        {
            if (Load(id) is not { } c)
            {
                continue;
            }

            foreach (var (path, payload, output) in Injections(c))
            {
                if (Structure(output).Contains("Evil", StringComparison.Ordinal))
                {
                    var check = InjectionGuard.Check(Renderer, c.Template, Inject(c, path, payload), output);
                    Assert.Equal([path], check.Inputs);
                    Assert.Equal(RenderErrorCodes.Injection, Assert.Single(check.Diagnostics).Code);
                    caught.Add(id + " " + path);
                }
            }
        }

        // Real AWS templates render inputs unquoted where a resource or output can be added.
        log.WriteLine($"{caught.Count} injections caught: " + string.Join(", ", caught));
        Assert.NotEmpty(caught);
    }

    /// <summary>Each string input of a case with each payload (a resource at the indentation of Resources' entries, a top-level key), where the render succeeds.</summary>
    private static IEnumerable<(string Path, string Payload, string Output)> Injections(Case c)
    {
        string[] payloads = [Evil, "x\nEvil:\n  Type: AWS::IAM::User"];
        foreach (var path in StringInputs(c.Context.Variables, string.Empty, false))
        {
            foreach (var payload in payloads)
            {
                if (Render(c, path, payload) is { } output)
                {
                    yield return (path, payload, output);
                }
            }
        }
    }

    private static RenderContext Inject(Case c, string path, string value)
        => RenderContext.From((IReadOnlyDictionary<string, object?>)Set(c.Context.Variables, string.Empty, path, value)!);

    private static string? Render(Case c, string path, string value)
    {
        try
        {
            return Renderer.Render(c.Template, Inject(c, path, value));
        }
        catch (RenderException)
        {
            return null;
        }
    }

    private static (InjectionCheck Check, string Output) Run(string template, string name, string label)
    {
        var context = Context(name, label);
        var compiled = Renderer.Compile(template, "cloudformation.yaml");
        var output = Renderer.Render(compiled, context);
        return (InjectionGuard.Check(Renderer, compiled, context, output), output);
    }

    private static RenderContext Context(string name, string label)
        => ProtonContexts.ForEnvironment(new EnvironmentInfo("env") { Inputs = new Dictionary<string, object?> { ["name"] = name, ["label"] = label } });

    private sealed record Case(CompiledTemplate Template, RenderContext Context, string Output);

    private static Case? Load(string id)
    {
        var dir = Path.Combine(Corpus.RenderCases, id);
        if (!File.Exists(Path.Combine(dir, "expected.yaml")) || !File.Exists(Path.Combine(dir, "context.json")))
        {
            return null;
        }

        var expected = File.ReadAllText(Path.Combine(dir, "expected.yaml"));
        try
        {
            CloudFormationTemplate.Parse(expected, "expected.yaml");
        }
        catch (ProtonValidationException)
        {
            return null;
        }

        var template = Renderer.Compile(File.ReadAllText(Path.Combine(dir, "template.yaml")), "template.yaml");
        var context = RenderContext.FromJson(File.ReadAllText(Path.Combine(dir, "context.json")));
        return new Case(template, context, Renderer.Render(template, context));
    }

    /// <summary>Top-level keys, resource ids and types, output and parameter names, or a marker when the text is not a template: independent of the guard's own shape.</summary>
    private static string Structure(string output)
    {
        try
        {
            var t = CloudFormationTemplate.Parse(output, "x");
            var root = (Proton.Sdk.Internal.YamlMapping)Proton.Sdk.Internal.YamlReader.Parse(output, "x", [])!;
            var keys = root.Entries.Select(e => e.Key.Value);
            return string.Join(";", keys) + "|" + string.Join(";", t.Resources.Select(r => r.LogicalId + "=" + r.Type)) + "|" + string.Join(";", t.Outputs.Select(o => o.Key)) + "|" + string.Join(";", t.Parameters.Keys);
        }
        catch (ProtonValidationException)
        {
            return "(invalid)";
        }
    }

    private static IEnumerable<string> StringInputs(object? value, string path, bool underInputs)
    {
        switch (value)
        {
            case string when underInputs:
                yield return path;
                break;
            case IReadOnlyDictionary<string, object?> map:
                foreach (var (k, v) in map)
                {
                    foreach (var p in StringInputs(v, path.Length == 0 ? k : path + "." + k, underInputs || k == "inputs"))
                    {
                        yield return p;
                    }
                }

                break;
            case IReadOnlyList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    foreach (var p in StringInputs(list[i], $"{path}[{i}]", underInputs))
                    {
                        yield return p;
                    }
                }

                break;
        }
    }

    private static object? Set(object? value, string path, string target, string replacement) => value switch
    {
        string s => path == target ? replacement : s,
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Set(kv.Value, path.Length == 0 ? kv.Key : path + "." + kv.Key, target, replacement), StringComparer.Ordinal),
        IReadOnlyList<object?> list => list.Select((v, i) => Set(v, $"{path}[{i}]", target, replacement)).ToList(),
        _ => value,
    };
}
