import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiViews

extension AppRequestContext {
    /// The signed-in identity, or 401 (pages: to the sign-in page).
    func signedIn() throws -> Identity {
        guard let identity else { throw WebError.unauthenticated() }
        return identity
    }

    /// The signed-in identity when its role has `capability`; 401 when anonymous, 403 otherwise.
    func require(_ capability: Capability) throws -> Identity {
        let identity = try signedIn()
        guard identity.may(capability) else {
            throw WebError.forbidden(
                "Vai trò “\(identity.user.role.vietnamese)” không được làm việc này. Nếu cần, hãy liên hệ quản trị hệ thống.",
                api: "role \(identity.user.role.rawValue) may not \(capability.rawValue)")
        }
        return identity
    }

    /// Who is acting, for the audit log.
    var auditActor: AuditActor {
        identity.map { AuditActor(user: $0.user, address: address) } ?? AuditActor(userID: nil, label: "khách", address: address)
    }

    /// The header's navigation for this visitor.
    var viewer: ViewerModel {
        guard let identity, identity.sessionDigest != nil else { return ViewerModel(signedIn: false) }
        return ViewerModel(
            signedIn: true, name: identity.user.name,
            roleName: identity.user.name == identity.user.role.vietnamese ? "" : identity.user.role.vietnamese,
            csrf: identity.csrfToken ?? "",
            canManage: identity.may(.manageUsers), canAudit: identity.may(.readAudit),
            canImport: identity.may(.importCatalogue), unread: unreadNotifications, waiting: waiting?.count ?? 0,
            waitingHref: waiting.map { SiteRoute.reviewQueue(slug: $0.slug).href } ?? "",
            agencyName: identity.user.agencyName ?? "")
    }
}

/// The live password hasher: bcrypt on NIO's thread pool, so hashing never blocks request handling.
public enum WebSecurity {
    /// bcrypt with `cost` (12 in production; tests use the minimum, 4).
    public static func bcrypt(cost: UInt8 = 12) -> PasswordHasher {
        PasswordHasher(
            hash: { password in
                try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
            },
            verify: { password, hash in
                try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
            })
    }
}
