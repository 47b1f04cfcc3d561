using System.Runtime.InteropServices;

namespace Correctomatic.Starter;

/// <summary>
/// Tells a regular file from a FIFO, socket or device, which FileInfo cannot (all report Attributes=Normal, Length=0)
/// and which a reader must never open: opening a FIFO blocks until a writer comes. Uses the runtime's own lstat shim
/// (libSystem.Native, SystemNative_LStat), whose FileStatus starts with Flags then Mode (S_IFMT bits).
/// </summary>
internal static partial class FileKind
{
    private const int TypeMask = 0xF000; // S_IFMT
    private const int Regular = 0x8000;  // S_IFREG

    public static bool IsRegularFile(string path) =>
        LStat(path, out var status) == 0 && (status.Mode & TypeMask) == Regular;

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LStat(string path, out FileStatusHead output);

    /// <summary>The head of System.Native's FileStatus, padded well past its real size so the shim never writes beyond it.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private struct FileStatusHead
    {
        public int Flags;
        public int Mode;
    }
}
