using System.Net.Sockets;
using Twine.Native;

namespace Twine.Net.Portable;

/// <summary>
/// The descriptor reserve (<see cref="DescriptorReserve"/>) for sockets the portable layer creates or accepts: on a
/// Unix system a socket's handle is its descriptor number, so the native layer's one comparison applies unchanged.
/// </summary>
internal static class PortableDescriptors
{
    /// <summary>
    /// True when <paramref name="socket"/>, just created or accepted, took a descriptor kept for the runtime: the caller
    /// closes it and proceeds as for EMFILE. Always false on Windows, whose socket handles are not descriptor numbers.
    /// </summary>
    public static bool InReserve(Socket socket) =>
        !OperatingSystem.IsWindows() && socket.Handle is var handle && handle >= 0 && handle <= int.MaxValue && DescriptorReserve.Holds((int)handle);
}
