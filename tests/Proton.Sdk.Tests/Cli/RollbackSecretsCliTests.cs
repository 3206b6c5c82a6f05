using System.Text.Json;

namespace Proton.Sdk.Tests.Cli;

/// <summary><c>proton rollback --secret</c>: a state with secret inputs rolls back once they are given again.</summary>
public sealed class RollbackSecretsCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-cli-rb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> Ok(params string[] args)
    {
        var (exit, stdout, stderr) = await CliRunner.Run(args);
        Assert.True(exit == 0, $"proton {string.Join(' ', args)} exited {exit}: {stdout}{stderr}");
        return stdout;
    }

    [Fact]
    public async Task Rollback_OfAStateWithSecrets_NeedsThemAgain_AndSucceedsWithThem()
    {
        var bundle = Path.Combine(_dir, "env");
        Directory.CreateDirectory(Path.Combine(bundle, "schema"));
        Directory.CreateDirectory(Path.Combine(bundle, "infrastructure"));
        await File.WriteAllTextAsync(Path.Combine(bundle, "schema", "schema.yaml"), Infrastructure.TestSchemas.Environment("db_password:\n  type: string\n  format: password\n  default: ''\nsize:\n  type: string\n  default: small"));
        await File.WriteAllTextAsync(Path.Combine(bundle, "infrastructure", "manifest.yaml"), "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n");
        await File.WriteAllTextAsync(Path.Combine(bundle, "infrastructure", "cloudformation.yaml"), "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: 'q-{{ environment.inputs.size }}'\n");
        var first = Path.Combine(_dir, "first.yaml");
        var second = Path.Combine(_dir, "second.yaml");
        await File.WriteAllTextAsync(first, "proton: EnvironmentSpec\nspec:\n  db_password: first-secret\n  size: small\n");
        await File.WriteAllTextAsync(second, "proton: EnvironmentSpec\nspec:\n  db_password: second-secret\n  size: large\n");
        var store = Path.Combine(_dir, "store");
        await Ok("template", "create", "env", "--kind", "environment", "--store", store);
        await Ok("template", "register", "env", bundle, "--store", store);
        await Ok("template", "publish", "env", "1.0.0", "--store", store);
        await Ok("env", "create", "dev", "--template", "env", "--spec", first, "--store", store);
        await Ok("env", "update", "dev", "--type", "current", "--spec", second, "--store", store);
        using var list = JsonDocument.Parse(await Ok("deployments", "list", "--store", store, "--output", "json"));
        var firstId = list.RootElement.EnumerateArray().First().GetProperty("id").GetString()!;

        var (refused, _, err) = await CliRunner.Run("rollback", firstId, "--store", store);
        Assert.Equal(1, refused);
        Assert.Contains("platform.secret-required", err, StringComparison.Ordinal);

        await Ok("rollback", firstId, "--secret", "db_password=first-secret", "--store", store);

        var shown = await Ok("env", "show", "dev", "--store", store, "--output", "json");
        Assert.Contains("small", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("first-secret", shown, StringComparison.Ordinal);
        var (bad, _, usage) = await CliRunner.Run("rollback", firstId, "--secret", "no-equals-sign", "--store", store);
        Assert.Equal(2, bad);
        Assert.Contains("name=value", usage, StringComparison.Ordinal);
    }
}
