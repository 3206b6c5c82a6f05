using BenchmarkDotNet.Attributes;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Benchmarks;

/// <summary>Resolving the recommended version and a range among 10,000 versions.</summary>
[MemoryDiagnoser]
public class VersionBenchmarks
{
    private List<TemplateVersionRecord> _records = [];
    private List<SemanticVersion> _versions = [];
    private VersionConstraint _range = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var major = 1; major <= 10; major++)
        {
            for (var minor = 0; minor < 100; minor++)
            {
                for (var patch = 0; patch < 10; patch++)
                {
                    var v = new SemanticVersion(major, minor, patch, patch == 9 ? "rc.1" : null);
                    _versions.Add(v);
                    _records.Add(new TemplateVersionRecord
                    {
                        TemplateName = "env",
                        Version = v.ToString(),
                        ContentHash = "h",
                        BundleBlob = "b",
                        Status = (minor + patch) % 3 == 0 ? TemplateVersionStatus.Published : TemplateVersionStatus.Draft,
                    });
                }
            }
        }

        _range = VersionConstraint.Parse(">=4.20.0 <7.0.0");
    }

    /// <summary>Highest published, non-deprecated, non-pre-release version of 10,000.</summary>
    [Benchmark(Baseline = true)]
    public string? Recommended() => TemplateRegistry.Recommended(_records)?.Version;

    /// <summary>Highest version of 10,000 that satisfies a comparator range.</summary>
    [Benchmark]
    public SemanticVersion? ResolveRange() => _range.MaxSatisfying(_versions);
}
