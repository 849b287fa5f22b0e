#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Detects when the current thread's stack is nearly exhausted, so that deeply
/// nested input fails with an error instead of overflowing the stack (the nesting
/// counter alone is not enough on threads with small stacks, e.g. in debug builds).
struct StackGuard {
    /// The lowest address the parser may use (stacks grow downwards); 0 when unknown.
    private let limit: UInt

    /// Reads the current thread's stack bounds, keeping `reserve` bytes in hand.
    init(reserve: UInt = 256 * 1024) {
        var lowestAddress: UInt = 0
        #if canImport(Glibc) || canImport(Musl)
        var attributes = pthread_attr_t()
        if Self.functionAddress != 0,
            unsafeBitCast(Self.functionAddress, to: GetAttributes.self)(pthread_self(), &attributes) == 0
        {
            var address: UnsafeMutableRawPointer?
            var size = 0
            if pthread_attr_getstack(&attributes, &address, &size) == 0, let address {
                lowestAddress = UInt(bitPattern: address)
            }
            pthread_attr_destroy(&attributes)
        }
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        let size = UInt(pthread_get_stacksize_np(pthread_self()))
        lowestAddress = top > size ? top - size : 0
        #endif
        limit = lowestAddress == 0 ? 0 : lowestAddress + reserve
    }

    #if canImport(Glibc) || canImport(Musl)
    /// `pthread_getattr_np`, which the Glibc module does not export (it needs _GNU_SOURCE).
    private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
    private static let functionAddress: UInt = UInt(bitPattern: dlsym(nil, "pthread_getattr_np"))
    #endif

    /// Whether the stack pointer is below the limit (the stack is nearly full).
    func isExhausted() -> Bool {
        guard limit != 0 else { return false }
        var marker: UInt8 = 0
        let stackPointer = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return stackPointer < limit
    }
}
