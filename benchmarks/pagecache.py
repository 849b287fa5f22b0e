"""Page-cache tools for benchmarks/storage.sh (Linux).

    pagecache.py evict FILE...      drop the files' clean pages from the page cache (posix_fadvise DONTNEED)
    pagecache.py resident FILE...   print the number of the files' bytes in the page cache (mincore)

After `evict`, the bytes a process makes resident by reading memory-mapped files are the pages it touched plus
whatever the kernel read around them (Quiver maps segments with MADV_RANDOM, which turns read-around off, and
prefetches exactly the buffers it reads with MADV_WILLNEED).
"""
import ctypes
import ctypes.util
import mmap
import os
import sys

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
PAGE = os.sysconf("SC_PAGE_SIZE")


def evict(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def resident_bytes(path):
    size = os.path.getsize(path)
    if size == 0:
        return 0
    fd = os.open(path, os.O_RDONLY)
    try:
        address = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
        if address in (None, ctypes.c_void_p(-1).value):
            raise OSError(ctypes.get_errno(), "mmap failed")
        pages = (size + PAGE - 1) // PAGE
        vector = (ctypes.c_ubyte * pages)()
        if libc.mincore(address, size, vector) != 0:
            raise OSError(ctypes.get_errno(), "mincore failed")
        libc.munmap(address, size)
        return sum(1 for flag in vector if flag & 1) * PAGE
    finally:
        os.close(fd)


if __name__ == "__main__":
    command, files = sys.argv[1], sys.argv[2:]
    if command == "evict":
        for file in files:
            evict(file)
    elif command == "resident":
        print(sum(resident_bytes(file) for file in files))
    else:
        sys.exit(f"unknown command {command}")
