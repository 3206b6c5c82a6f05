using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Versioning;

/// <summary>TemplateRegistry.UpdateTemplateAsync: display name and description only.</summary>
public sealed class UpdateTemplateTests
{
    [Fact]
    public async Task UpdateTemplate_NullKeeps_EmptyClears_KindAndCreationKept()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        var created = await registry.CreateTemplateAsync("vpc", TemplateKind.Environment, "VPC", "old");
        await registry.UpdateTemplateAsync("vpc", null, "new");
        var cleared = await registry.UpdateTemplateAsync("vpc", "", null);
        var read = await registry.GetTemplateAsync("vpc");
        Assert.Equal(cleared, read);
        Assert.Equal((null, "new", TemplateKind.Environment, created.CreatedAt), (read!.DisplayName, read.Description, read.Kind, read.CreatedAt));
    }

    [Fact]
    public async Task UpdateTemplate_Unknown_NotFound()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        var e = await Assert.ThrowsAsync<RegistryException>(async () => await registry.UpdateTemplateAsync("nope", "x", null));
        Assert.Equal(RegistryErrorCodes.NotFound, e.ErrorCode);
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }
}
