using System.Runtime.InteropServices;

namespace Proton.Sdk.Internal;

/// <summary>Tells regular files from FIFOs, devices and sockets without opening them (opening a FIFO blocks).</summary>
internal static partial class UnixFileType
{
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    /// <summary>True when <paramref name="path"/> itself (not what a link points to) is a regular file.</summary>
    public static bool IsRegularFile(string path) => Check(path, followLinks: false);

    /// <summary>
    /// True when <paramref name="path"/>, after following links, is a regular file: false for character and block devices
    /// (<c>/dev/zero</c>), FIFOs and sockets, which would never end or block when read.
    /// </summary>
    public static bool IsRegularFileFollowingLinks(string path) => Check(path, followLinks: true);

    private static bool Check(string path, bool followLinks)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        try
        {
            var status = default(FileStatus);
            if ((followLinks ? Stat(path, ref status) : LStat(path, ref status)) != 0)
            {
                return File.Exists(path);
            }

            return (status.Mode & TypeMask) == Regular;
        }
        catch (DllNotFoundException)
        {
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return true;
        }
    }

    // Mirrors the start of the runtime's own FileStatus (System.Native); the rest is padding.
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct FileStatus
    {
        public int Flags;
        public int Mode;
        public fixed long Rest[32];
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, ref FileStatus output);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref FileStatus output);
}
