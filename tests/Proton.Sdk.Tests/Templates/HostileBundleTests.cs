using System.Formats.Tar;
using System.Text;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Templates;

public sealed class HostileBundleTests
{
    private static async Task<BundleLoadResult> LoadArchive(Stream archive, BundleOptions? options = null)
        => await TemplateBundleLoader.LoadAsync(new TarGzBundleSource(archive, "test.tar.gz"), options);

    private static void AssertRefused(BundleLoadResult result, string code)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Bundle);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(code, error.Code);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
    }

    [Fact]
    public async Task TarGz_ValidArchive_Loads()
    {
        var result = await LoadArchive(Archives.FromFiles(Archives.MinimalEnvironment));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(TemplateKind.Environment, result.Bundle!.Kind);
        Assert.Equal("infrastructure/cloudformation.yaml", Assert.Single(result.Bundle.Parts[0].TemplateFiles).Path);
    }

    [Fact]
    public async Task TarGz_WrappedInTopFolder_IsUnwrapped()
    {
        var wrapped = await LoadArchive(Archives.FromFiles(Archives.MinimalEnvironment, "my-env-template/"));
        var plain = await LoadArchive(Archives.FromFiles(Archives.MinimalEnvironment));

        Assert.True(wrapped.Succeeded, string.Join("\n", wrapped.Diagnostics));
        Assert.Contains("schema/schema.yaml", wrapped.Bundle!.Files.Keys);
        Assert.Equal(plain.Bundle!.ContentHash, wrapped.Bundle.ContentHash);
    }

    [Fact]
    public async Task InMemory_SameFilesAsArchive_SameContentHash()
    {
        var memory = await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(Archives.MinimalEnvironment));
        var archive = await LoadArchive(Archives.FromFiles(Archives.MinimalEnvironment));

        Assert.Equal(archive.Bundle!.ContentHash, memory.Bundle!.ContentHash);
    }

    [Theory]
    [InlineData("../evil.yaml")]
    [InlineData("schema/../../evil.yaml")]
    [InlineData("..\\evil.yaml")]
    public async Task TarGz_PathTraversal_IsRefused(string name)
    {
        var archive = Archives.Build(tar =>
        {
            Archives.AddFile(tar, "schema/schema.yaml", "schema: {}");
            Archives.AddFile(tar, name, "x");
        });

        AssertRefused(await LoadArchive(archive), BundleErrorCodes.PathTraversal);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    public async Task TarGz_AbsolutePath_IsRefused(string name)
    {
        var archive = Archives.Build(tar => Archives.AddFile(tar, name, "x"));

        AssertRefused(await LoadArchive(archive), BundleErrorCodes.AbsolutePath);
    }

    [Fact]
    public async Task TarGz_SymbolicLink_IsRefused()
    {
        var archive = Archives.Build(tar =>
        {
            Archives.AddFile(tar, "schema/schema.yaml", "schema: {}");
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "infrastructure/cloudformation.yaml") { LinkName = "/etc/passwd" });
        });

        var result = await LoadArchive(archive);

        AssertRefused(result, BundleErrorCodes.SymbolicLink);
        Assert.Contains("/etc/passwd", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TarGz_HardLink_IsRefused()
    {
        var archive = Archives.Build(tar =>
        {
            Archives.AddFile(tar, "schema/schema.yaml", "schema: {}");
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "infrastructure/manifest.yaml") { LinkName = "schema/schema.yaml" });
        });

        AssertRefused(await LoadArchive(archive), BundleErrorCodes.HardLink);
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    [InlineData(TarEntryType.Fifo)]
    public async Task TarGz_SpecialFile_IsRefused(TarEntryType type)
    {
        var archive = Archives.Build(tar => tar.WriteEntry(new PaxTarEntry(type, "infrastructure/dev")));

        AssertRefused(await LoadArchive(archive), BundleErrorCodes.SpecialFile);
    }

    [Fact]
    public async Task TarGz_GzipBomb_IsRefusedBeforeExpanding()
    {
        // 256 MiB of zeros compresses to a few hundred KiB.
        var archive = Archives.Build(tar => tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "infrastructure/cloudformation.yaml")
        {
            DataStream = new Archives.ZeroStream(256L * 1024 * 1024),
        }), System.IO.Compression.CompressionLevel.SmallestSize);
        Assert.True(archive.Length < 2 * 1024 * 1024);

        // The declared size is refused from the header, before any data is read.
        AssertRefused(await LoadArchive(archive), BundleErrorCodes.FileTooLarge);

        // With per-file and bundle limits lifted, the streaming check on decompressed bytes still stops it.
        archive.Position = 0;
        var loose = new BundleOptions { MaxFileBytes = int.MaxValue, MaxBundleBytes = long.MaxValue, MaxUncompressedBytes = 8 * 1024 * 1024 };
        var result = await LoadArchive(archive, loose);
        AssertRefused(result, BundleErrorCodes.TooLarge);
        Assert.Contains("expands to more than 8388608 bytes", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TarGz_TooManyFiles_IsRefused()
    {
        var archive = Archives.Build(tar =>
        {
            for (var i = 0; i < 1001; i++)
            {
                Archives.AddFile(tar, $"infrastructure/f{i}.txt", "x");
            }
        });

        AssertRefused(await LoadArchive(archive), BundleErrorCodes.TooManyEntries);
    }

    [Fact]
    public async Task TarGz_BundleOverTotalLimit_IsRefused()
    {
        var archive = Archives.Build(tar =>
        {
            for (var i = 0; i < 30; i++)
            {
                Archives.AddFile(tar, $"infrastructure/f{i}.txt", new string('x', 190 * 1024));
            }
        });

        AssertRefused(await LoadArchive(archive), BundleErrorCodes.TooLarge);
    }

    [Fact]
    public async Task TarGz_SchemaOver50KiB_IsRefused()
    {
        var archive = Archives.Build(tar => Archives.AddFile(tar, "schema/schema.yaml", "# " + new string('x', 51 * 1024)));

        var result = await LoadArchive(archive);

        AssertRefused(result, BundleErrorCodes.FileTooLarge);
        Assert.Contains("schema/schema.yaml", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TarGz_NotAnArchive_IsRefused()
    {
        var result = await LoadArchive(new MemoryStream(Encoding.UTF8.GetBytes("this is not gzip")));

        AssertRefused(result, BundleErrorCodes.InvalidArchive);
    }

    [Fact]
    public async Task TarGz_DuplicateEntry_IsRefused()
    {
        var archive = Archives.Build(tar =>
        {
            Archives.AddFile(tar, "schema/schema.yaml", "a: 1");
            Archives.AddFile(tar, "./schema/schema.yaml", "a: 2");
        });

        AssertRefused(await LoadArchive(archive), BundleErrorCodes.DuplicateEntry);
    }

    [Fact]
    public async Task Schema_YamlAliasBomb_IsRefusedQuickly()
    {
        var bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 12; i++)
        {
            var prev = (char)('a' + i - 1);
            var cur = (char)('a' + i);
            bomb.Append($"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n");
        }

        var files = new Dictionary<string, string>(Archives.MinimalEnvironment) { ["schema/schema.yaml"] = bomb.ToString() };
        var result = await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(files));

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("yaml.too-large", error.Code);
        Assert.Equal("schema/schema.yaml", error.File);
        Assert.True(error.Line > 1);
    }

    [Fact]
    public async Task Schema_VeryDeepNesting_IsRefused()
    {
        var files = new Dictionary<string, string>(Archives.MinimalEnvironment) { ["schema/schema.yaml"] = new string('[', 10_000) + new string(']', 10_000) };

        var result = await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(files));

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("yaml.too-deep", error.Code);
        Assert.Equal(1, error.Line);
        Assert.Equal(65, error.Column);
    }

    [Fact]
    public async Task Directory_SymbolicLink_IsRefused()
    {
        var dir = new DirectoryInfo(Archives.WriteToTempDirectory(Archives.MinimalEnvironment, "proton-link-"));
        try
        {
            File.CreateSymbolicLink(Path.Combine(dir.FullName, "infrastructure", "secrets.yaml"), "/etc/hostname");

            var result = await TemplateBundleLoader.LoadAsync(dir.FullName);

            AssertRefused(result, BundleErrorCodes.SymbolicLink);
            Assert.Equal("infrastructure/secrets.yaml", result.Diagnostics[0].File);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Directory_Fifo_IsRefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dir = new DirectoryInfo(Archives.WriteToTempDirectory(Archives.MinimalEnvironment, "proton-fifo-"));
        try
        {
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(dir.FullName, "infrastructure", "pipe")))
            {
                await mkfifo.WaitForExitAsync();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            var result = await TemplateBundleLoader.LoadAsync(dir.FullName).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

            AssertRefused(result, BundleErrorCodes.SpecialFile);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
