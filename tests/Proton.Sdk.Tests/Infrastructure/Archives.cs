using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Proton.Sdk.Tests.Infrastructure;

/// <summary>Builds .tar.gz archives in memory, hostile ones included.</summary>
public static class Archives
{
    public static readonly IReadOnlyDictionary<string, string> MinimalEnvironment = new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = TestSchemas.Environment("name:\n  type: string\n  default: dev"),
        ["infrastructure/manifest.yaml"] = """
            infrastructure:
              templates:
                - file: "cloudformation.yaml"
                  rendering_engine: jinja
                  template_language: cloudformation
            """,
        ["infrastructure/cloudformation.yaml"] = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ environment.inputs.name }}'\n",
    };

    /// <summary>Writes files into a new temporary folder and returns it.</summary>
    public static string WriteToTempDirectory(IReadOnlyDictionary<string, string> files, string prefix = "proton-")
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return dir;
    }

    public static MemoryStream Build(Action<TarWriter> write, CompressionLevel level = CompressionLevel.Fastest)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(tar);
        }

        output.Position = 0;
        return output;
    }

    public static MemoryStream FromFiles(IReadOnlyDictionary<string, string> files, string prefix = "")
        => Build(tar =>
        {
            foreach (var (path, text) in files)
            {
                AddFile(tar, prefix + path, text);
            }
        });

    public static void AddFile(TarWriter tar, string name, string text)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
        tar.WriteEntry(entry);
    }

    /// <summary>A stream of zeros of the given length, never held in memory.</summary>
    public sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
