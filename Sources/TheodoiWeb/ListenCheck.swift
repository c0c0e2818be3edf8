import Foundation
import NIOCore
import NIOPosix

/// Whether the server can listen where it is told to, found out before anything else starts: a
/// socket is bound there as the server binds it (`SO_REUSEADDR`), then closed at once.
public enum ListenCheck {
    /// Why the server could not listen, in words for the person who started it.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Another program listens on the port.
        case portInUse(port: Int)
        /// Ports under 1024 need privileges the process does not have.
        case notPermitted(port: Int)
        /// The host is not an address of this machine.
        case addressNotAvailable(host: String)
        /// The host name does not resolve.
        case unknownHost(host: String)
        /// Anything else the system said.
        case other(host: String, port: Int, reason: String)

        public var description: String {
            switch self {
            case .portInUse(let port):
                "cổng \(port) đang được dùng bởi một chương trình khác. Hãy dừng chương trình đó hoặc chọn cổng khác (--port)."
            case .notPermitted(let port):
                "không có quyền mở cổng \(port) (cổng dưới 1024 cần quyền quản trị). Hãy chọn cổng từ 1024 trở lên (--port)."
            case .addressNotAvailable(let host):
                "máy này không có địa chỉ “\(host)” để lắng nghe. Hãy kiểm tra địa chỉ (--host)."
            case .unknownHost(let host):
                "không tìm được địa chỉ “\(host)”. Hãy kiểm tra địa chỉ (--host)."
            case .other(let host, let port, let reason):
                "không mở được cổng \(port) trên \(host) (hệ thống báo: \(reason))."
            }
        }
    }

    /// The reason the server could not listen on `host:port`, or nil when it can.
    public static func problem(host: String, port: Int) async -> Problem? {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            try? await channel.close().get()
            return nil
        } catch {
            return problem(from: error, host: host, port: port) ?? .other(host: host, port: port, reason: "\(error)")
        }
    }

    /// The reason behind an error from binding `host:port`; nil when the error is not about listening.
    public static func problem(from error: any Error, host: String, port: Int) -> Problem? {
        switch error {
        case let error as IOError:
            switch error.errnoCode {
            case EADDRINUSE: .portInUse(port: port)
            case EACCES, EPERM: .notPermitted(port: port)
            case EADDRNOTAVAIL: .addressNotAvailable(host: host)
            default: .other(host: host, port: port, reason: String(cString: strerror(error.errnoCode)))
            }
        case is SocketAddressError, is SocketAddressError.UnknownHost: .unknownHost(host: host)
        default: nil
        }
    }
}
