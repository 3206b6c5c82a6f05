using System.Diagnostics;
using System.Text;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Tests.Templates;

/// <summary>
/// Issue #14: special files and bad encodings. Every input read by path refuses devices and FIFOs (before opening: opening a
/// FIFO blocks, /dev/zero never ends) and reads at most a limit; invalid UTF-8 is a located error, not U+FFFD. Reads give
/// up after 10 s, so a regression fails instead of hanging the run.
/// </summary>
public sealed class InputFileHardeningTests : IDisposable
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("proton-input-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private async Task<string> FifoAsync(string name)
    {
        var path = PathOf(name);
        using var mkfifo = Process.Start("mkfifo", path);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    private string LinkToDevZero(string name)
    {
        var path = PathOf(name);
        File.CreateSymbolicLink(path, "/dev/zero");
        return path;
    }

    // "spec:\n  name: caf" then 0xC3 0x28 (an invalid two-byte sequence) on line 3, after "  name: caf" (column 12).
    private static readonly byte[] InvalidUtf8Spec = [.. "proton: EnvironmentSpec\nspec:\n  name: caf"u8, 0xC3, 0x28, .. "\n"u8];

    [Fact]
    public async Task SpecFile_Fifo_IsRefusedWithoutBlocking()
    {
        var fifo = await FifoAsync("spec.yaml");

        var result = await SpecParser.ParseFileAsync(fifo).AsTask().WaitAsync(GiveUp);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(SpecErrorCodes.SpecialFile, error.Code);
        Assert.Equal(fifo, error.File);
    }

    [Fact]
    public async Task SpecFile_DevZeroAndALinkToIt_AreRefusedWithoutReading()
    {
        foreach (var path in new[] { "/dev/zero", LinkToDevZero("zero.yaml") })
        {
            var result = await SpecParser.ParseFileAsync(path).AsTask().WaitAsync(GiveUp);

            Assert.Equal(SpecErrorCodes.SpecialFile, Assert.Single(result.Diagnostics).Code);
        }
    }

    [Fact]
    public async Task SpecFile_LargerThanTheLimit_IsRefused()
    {
        var path = PathOf("big.yaml");
        await File.WriteAllTextAsync(path, "proton: EnvironmentSpec\nspec:\n  x: '" + new string('a', 300_000) + "'\n");

        var result = await SpecParser.ParseFileAsync(path);

        Assert.Equal(SpecErrorCodes.TooLarge, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public async Task SpecFile_InvalidUtf8_IsALocatedEncodingError()
    {
        var path = PathOf("bad.yaml");
        await File.WriteAllBytesAsync(path, InvalidUtf8Spec);

        var result = await SpecParser.ParseFileAsync(path);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(SpecErrorCodes.InvalidEncoding, error.Code);
        Assert.Equal((3, 12), (error.Line, error.Column));
        Assert.Contains("0xC3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpecFile_WithByteOrderMark_ParsesAsBefore()
    {
        var path = PathOf("bom.yaml");
        await File.WriteAllBytesAsync(path, [0xEF, 0xBB, 0xBF, .. "proton: EnvironmentSpec\nspec:\n  name: café\n"u8]);

        var result = await SpecParser.ParseFileAsync(path);

        var spec = Assert.IsType<EnvironmentSpec>(result.GetSpecOrThrow());
        Assert.Equal("café", spec.Spec["name"]);
    }

    [Fact]
    public async Task SpecFile_Utf16WithByteOrderMark_ParsesAsBefore()
    {
        var path = PathOf("utf16.yaml");
        await File.WriteAllTextAsync(path, "proton: EnvironmentSpec\nspec:\n  name: café\n", Encoding.Unicode);

        var spec = Assert.IsType<EnvironmentSpec>((await SpecParser.ParseFileAsync(path)).GetSpecOrThrow());

        Assert.Equal("café", spec.Spec["name"]);
    }

    [Fact]
    public async Task TarGzSource_FifoOrDevice_IsRefusedWithoutBlocking()
    {
        foreach (var path in new[] { await FifoAsync("bundle.tar.gz"), LinkToDevZero("zero.tar.gz") })
        {
            var ex = await Assert.ThrowsAsync<ProtonValidationException>(() => new TarGzBundleSource(path).ReadFilesAsync(new BundleOptions()).AsTask().WaitAsync(GiveUp));

            Assert.Equal(BundleErrorCodes.SpecialFile, ex.ErrorCode);
        }
    }

    private static BundleLoadResult LoadBundle(byte[] template, byte[]? schema = null, byte[]? manifest = null) => TemplateBundleLoader.Load(
    [
        new BundleFile("schema/schema.yaml", schema ?? "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: \"E\"\n  types:\n    E:\n      type: object\n      properties:\n        a:\n          type: string\n"u8.ToArray()),
        new BundleFile("infrastructure/manifest.yaml", manifest ?? "infrastructure:\n  templates:\n    - file: \"cloudformation.yaml\"\n      rendering_engine: jinja\n      template_language: cloudformation\n"u8.ToArray()),
        new BundleFile("infrastructure/cloudformation.yaml", template),
    ], "memory");

    [Theory]
    [InlineData("infrastructure/cloudformation.yaml")]
    [InlineData("schema/schema.yaml")]
    [InlineData("infrastructure/manifest.yaml")]
    public void Bundle_FileWithInvalidUtf8_IsALocatedEncodingError(string which)
    {
        byte[] Bad(string text) => [.. Encoding.UTF8.GetBytes(text), 0xFF, .. "\n"u8];
        var result = which switch
        {
            "infrastructure/cloudformation.yaml" => LoadBundle(Bad("Resources:\n  Name: ")),
            "schema/schema.yaml" => LoadBundle("x"u8.ToArray(), schema: Bad("schema:\n  format: ")),
            _ => LoadBundle("x"u8.ToArray(), manifest: Bad("infrastructure:\n  templates: ")),
        };

        Assert.Null(result.Bundle);
        var error = Assert.Single(result.Diagnostics, d => d.Code == BundleErrorCodes.InvalidEncoding);
        Assert.Equal(which, error.File);
        Assert.Equal(2, error.Line);
        Assert.True(error.Column > 8, $"column {error.Column}");
        Assert.Contains("0xFF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundle_TemplateWithByteOrderMark_LoadsWithoutIt()
    {
        var result = LoadBundle([0xEF, 0xBB, 0xBF, .. "Name: {{ environment.name }}\n"u8]);

        var bundle = result.GetBundleOrThrow();
        Assert.Equal("Name: {{ environment.name }}\n", bundle.Parts[0].TemplateFiles[0].Text);
    }

    [Fact]
    public async Task InputFile_RefusesSpecialLargeAndBadFiles_ReadsGoodOnes()
    {
        var good = PathOf("context.json");
        await File.WriteAllTextAsync(good, "{\"a\": \"é\"}");
        var bad = PathOf("bad.json");
        await File.WriteAllBytesAsync(bad, [.. "{\n  \"a\": \""u8, 0xC0, 0xAF, .. "\"}"u8]);

        async Task<string> Code(string path, long max = InputFile.DefaultMaxBytes)
            => (await Assert.ThrowsAsync<ProtonValidationException>(() => InputFile.ReadTextAsync(path, max).AsTask().WaitAsync(GiveUp))).ErrorCode;

        Assert.Equal("{\"a\": \"é\"}", await InputFile.ReadTextAsync(good));
        Assert.Equal(InputFileErrorCodes.SpecialFile, await Code(await FifoAsync("pipe.json")));
        Assert.Equal(InputFileErrorCodes.SpecialFile, await Code("/dev/zero"));
        Assert.Equal(InputFileErrorCodes.NotFound, await Code(PathOf("missing.json")));
        Assert.Equal(InputFileErrorCodes.TooLarge, await Code(good, max: 5));
        Assert.Equal(InputFileErrorCodes.InvalidEncoding, await Code(bad));
        var ex = await Assert.ThrowsAsync<ProtonValidationException>(() => InputFile.ReadTextAsync(bad).AsTask());
        Assert.Equal((2, 9), (ex.Diagnostics[0].Line, ex.Diagnostics[0].Column));
    }
}
