using Twine.Native;
using System.Runtime.InteropServices;

namespace Twine.Reactors.Io;

/// <summary>
/// An owned file descriptor. A <see cref="SafeHandle"/> rather than an <c>int</c> where another thread may use the
/// descriptor (a waker): the reference count keeps <c>close</c> from running while that thread is inside
/// <c>write</c>, which would otherwise risk writing to an unrelated descriptor that reused the number.
/// </summary>
internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor(int fd) : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc />
    public override bool IsInvalid => handle == -1;

    /// <summary>The descriptor number, for calls made on the owning thread.</summary>
    public int Fd => (int)handle;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
