using Proton.Sdk.Platform;
using Proton.Sdk.Rendering;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Rendering;

/// <summary>
/// The guard as the platform runs it by default (<see cref="ProtonPlatformOptions.InjectionGuard"/>) over all 114 shared
/// render cases: the cases' own values never trip it, and a newline-plus-resource value in any string input that adds a
/// resource to the rendering does.
/// </summary>
public sealed class InjectionGuardCorpusTests
{
    private static readonly TemplateRenderer Renderer = new();

    [Fact]
    public void EveryCorpusCase_WithItsOwnValues_DoesNotTrip()
    {
        var options = new ProtonPlatformOptions().InjectionGuard;
        int rendered = 0, failedToRender = 0, strings = 0;
        foreach (var id in Corpus.RenderCaseIds())
        {
            var dir = Path.Combine(Corpus.RenderCases, id);
            var context = RenderContext.FromJson(File.ReadAllText(Path.Combine(dir, "context.json")));
            string output;
            CompiledTemplate template;
            try
            {
                template = Renderer.Compile(File.ReadAllText(Path.Combine(dir, "template.yaml")), "template.yaml");
                output = Renderer.Render(template, context);
            }
            catch (RenderException)
            {
                failedToRender++;
                continue;
            }

            rendered++;
            strings += StringInputs(context.Variables, string.Empty, false).Count();
            var check = InjectionGuard.Check(Renderer, template, context, output, options);
            Assert.False(check.Tripped, $"case {id}: " + string.Join("\n", check.Diagnostics));
        }

        Assert.Equal(114, rendered + failedToRender);
        Assert.Equal(4, failedToRender); // the four cases with expected_error.txt
        Assert.True(strings > 500, $"{strings} string inputs");
    }

    [Fact]
    public void EveryCorpusCase_NewlineAndResourceInAStringInput_TripsWheneverItAddsTheResource()
    {
        var options = new ProtonPlatformOptions().InjectionGuard;
        var added = 0;
        foreach (var id in Corpus.RenderCaseIds())
        {
            var dir = Path.Combine(Corpus.RenderCases, id);
            var context = RenderContext.FromJson(File.ReadAllText(Path.Combine(dir, "context.json")));
            CompiledTemplate template;
            try
            {
                template = Renderer.Compile(File.ReadAllText(Path.Combine(dir, "template.yaml")), "template.yaml");
                Renderer.Render(template, context);
            }
            catch (RenderException)
            {
                continue;
            }

            foreach (var (path, payload) in StringInputs(context.Variables, string.Empty, false).SelectMany(p => Payloads.Select(x => (p, x))))
            {
                var injected = RenderContext.From((IReadOnlyDictionary<string, object?>)Set(context.Variables, string.Empty, path, payload)!);
                string output;
                try
                {
                    output = Renderer.Render(template, injected);
                }
                catch (RenderException)
                {
                    continue;
                }

                // The payload became a resource or a top-level key of the rendered template: an unquoted position.
                if (!AddsEvil(output))
                {
                    continue;
                }

                added++;
                var check = InjectionGuard.Check(Renderer, template, injected, output, options);
                Assert.True(check.Tripped, $"case {id}: {path} added a resource and was not caught");
                Assert.Contains(path, check.Inputs);
                Assert.All(check.Diagnostics, d => Assert.Equal(RenderErrorCodes.Injection, d.Code));
            }
        }

        Assert.True(added > 0, "AWS's samples render some inputs unquoted where a resource or key can be added");
    }

    /// <summary>A resource at the indentation of Resources' entries, and a top-level key.</summary>
    private static readonly string[] Payloads = [Platform.InjectionGuardPlatformTests.Evil, "x\nEvil:\n  Type: AWS::IAM::User"];

    private static bool AddsEvil(string output)
    {
        try
        {
            var template = Proton.Sdk.Provisioning.CloudFormationTemplate.Parse(output, "x");
            var root = (Proton.Sdk.Internal.YamlMapping)Proton.Sdk.Internal.YamlReader.Parse(output, "x", [])!;
            return template.Resources.Any(r => r.LogicalId == "Evil") || template.Outputs.Any(o => o.Key == "Evil") || root.Entries.Any(e => e.Key.Value == "Evil");
        }
        catch (ProtonValidationException)
        {
            return false;
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
