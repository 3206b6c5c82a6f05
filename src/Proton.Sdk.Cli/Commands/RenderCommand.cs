using System.CommandLine;
using Proton.Sdk.Rendering;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton render</c>: one template file with a JSON context.</summary>
internal static class RenderCommand
{
    public static Command Build(ActionBinder bind)
    {
        var command = new Command("render", "Render one template file with a JSON context (Proton's Jinja dialect or Scriban)");
        var template = CliOptions.PathArgument("template", "The template file");
        var context = CliOptions.PathOption("--context", "The render context, a JSON object", required: true);
        var engine = CliOptions.Choice("--engine", RenderingEngines.Jinja, "The rendering engine", RenderingEngines.Jinja, RenderingEngines.Scriban);
        var output = CliOptions.PathOption("--out", "Write the rendering to this file instead of stdout");
        output.Aliases.Add("-o");
        var noGuard = new Option<bool>("--no-injection-guard") { Description = "Do not refuse a rendering whose structure an input value changes (render.injection)" };
        command.Arguments.Add(template);
        command.Options.Add(context);
        command.Options.Add(engine);
        command.Options.Add(output);
        command.Options.Add(noGuard);
        bind(command, s => RunAsync(s, s.Value(template), s.Value(context)!, s.Value(engine), s.Value(output), !s.Value(noGuard)));
        return command;
    }

    private static async Task<int> RunAsync(CliSession s, string templatePath, string contextPath, string engine, string? outFile, bool guard)
    {
        var templateText = await InputFiles.ReadTextAsync(templatePath, s.CancellationToken).ConfigureAwait(false);
        var contextText = await InputFiles.ReadTextAsync(contextPath, s.CancellationToken).ConfigureAwait(false);
        if (outFile is not null)
        {
            InputFiles.RequireWritableFile(outFile);
        }

        try
        {
            var context = RenderContext.FromJson(contextText);
            var renderer = TemplateRenderer.Default;
            var compiled = renderer.Compile(templateText, templatePath, engine);
            var output = renderer.Render(compiled, context, s.CancellationToken);
            if (guard && InjectionGuard.Check(renderer, compiled, context, output, null, s.CancellationToken) is { Tripped: true } check)
            {
                foreach (var d in check.Diagnostics)
                {
                    await s.Console.ErrorAsync($"{templatePath}: error {d.Code}: {d.Message} (--no-injection-guard renders it anyway)").ConfigureAwait(false);
                }

                return ExitCodes.Invalid;
            }

            if (outFile is null)
            {
                await s.Console.Out.WriteAsync(output).ConfigureAwait(false);
            }
            else
            {
                await File.WriteAllTextAsync(outFile, output, s.CancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }
        catch (RenderException ex)
        {
            await s.Console.ErrorAsync($"{ex.File}:{ex.Line}:{ex.Column}: {ex.ErrorCode}: {ex.Detail}").ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
        catch (ProtonException ex)
        {
            await s.Console.ErrorAsync($"{contextPath}: {ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
    }
}
