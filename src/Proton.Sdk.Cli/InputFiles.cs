using System.Runtime.InteropServices;

namespace Proton.Sdk.Cli;

/// <summary>Reads the files a command is given, refusing folders, missing files, FIFOs, devices and oversized files with a clear message.</summary>
internal static partial class InputFiles
{
    /// <summary>The largest input file read (specs, contexts, outputs, policies, templates): 16 MiB.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>Throws <see cref="CliException"/> unless <paramref name="path"/> is a regular file of a readable size.</summary>
    public static void RequireRegularFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: error cli.not-a-file: a folder, not a file");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"{path}: error cli.not-found: no such file");
        }

        if (!IsRegularFile(path))
        {
            throw new CliException($"{path}: error cli.not-a-file: not a regular file (a device, FIFO or socket)");
        }

        if (new FileInfo(path).Length > MaxBytes)
        {
            throw new CliException($"{path}: error cli.too-large: larger than {MaxBytes / (1024 * 1024)} MiB");
        }
    }

    /// <summary>
    /// Reads a regular file as text with the SDK's strict reader (<see cref="Templates.InputFile"/>), as spec files are read:
    /// invalid UTF-8 is <c>input.invalid-encoding</c> with the file, line, column and byte offset (exit 1), never U+FFFD.
    /// </summary>
    public static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        RequireRegularFile(path);
        return await Templates.InputFile.ReadTextAsync(path, MaxBytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that a file can be written at <paramref name="path"/> without creating folders or replacing a folder or special file.</summary>
    public static void RequireWritableFile(string path)
    {
        if (path.Length == 0)
        {
            throw new UsageException("the output file name is empty");
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: error cli.not-a-file: a folder; give a file name to write");
        }

        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliException($"{path}: error cli.not-found: the folder {folder} does not exist");
        }

        if (File.Exists(path) && !IsRegularFile(path))
        {
            throw new CliException($"{path}: error cli.not-a-file: not a regular file (a device, FIFO or socket)");
        }
    }

    /// <summary>True for a regular file or a link to one; false for FIFOs, devices, sockets and folders.</summary>
    public static bool IsRegularFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(path);
        }

        try
        {
            var status = default(FileStatus);
            return Stat(path, ref status) == 0 ? (status.Mode & 0xF000) == 0x8000 : File.Exists(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return File.Exists(path);
        }
    }

    // The start of the runtime's own FileStatus (System.Native); the rest is room for the fields after it.
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref FileStatus output);
}
