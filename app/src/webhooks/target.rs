//! Where a webhook may send: the address checks that keep an endpoint from reaching the
//! server's own network (server-side request forgery). They run when an admin saves the
//! endpoint and again before every delivery, on the addresses actually connected to, so a
//! name that later resolves somewhere private is caught too.
use http::Uri;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Longest endpoint address accepted.
pub const MAX_URL_LEN: usize = 2000;

/// A checked endpoint address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub host: String,
    pub port: u16,
}

/// Checks an endpoint address. Public endpoints must use HTTPS, since deliveries carry
/// answers; plain HTTP is accepted only where an admin allowed private addresses (an
/// internal service). Credentials in the address are refused: they would show in the log.
pub fn parse(url: &str, allow_private: bool) -> Result<Target, String> {
    let url = url.trim();
    if url.is_empty() {
        return Err(
            "Give the endpoint's address, e.g. https://hooks.example.org/soundings.".into(),
        );
    }
    if url.len() > MAX_URL_LEN || url.chars().any(char::is_control) {
        return Err(format!(
            "The address must be one line of at most {MAX_URL_LEN} characters."
        ));
    }
    let uri: Uri = url
        .parse()
        .map_err(|_| "This is not a web address (https://...).".to_string())?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err("The address must start with https://.".into()),
    };
    if !https && !allow_private {
        return Err(
            "Use https://: deliveries carry answers, which must not travel in clear. \
                    Plain http:// is allowed only for endpoints on a private network."
                .into(),
        );
    }
    let authority = uri
        .authority()
        .ok_or_else(|| "The address has no host name.".to_string())?;
    if authority.as_str().contains('@') {
        return Err(
            "Put no user name or password in the address; check the signature header instead."
                .into(),
        );
    }
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    if host.is_empty() {
        return Err("The address has no host name.".into());
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        refuse_private(ip, allow_private)?;
    }
    Ok(Target {
        url: url.to_string(),
        host: host.to_string(),
        port: authority.port_u16().unwrap_or(if https { 443 } else { 80 }),
    })
}

/// Resolves the endpoint's host. Unless private addresses are allowed, every address it
/// resolves to must be public: one private address among public ones is refused too.
pub async fn resolve(target: &Target, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await
        .map_err(|_| format!("The host name {} does not resolve.", target.host))?
        .collect();
    if addresses.is_empty() {
        return Err(format!("The host name {} does not resolve.", target.host));
    }
    for address in &addresses {
        refuse_private(address.ip(), allow_private)?;
    }
    Ok(addresses)
}

fn refuse_private(ip: IpAddr, allow_private: bool) -> Result<(), String> {
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(format!(
            "{ip} is a loopback, private or link-local address; endpoints there are refused \
             unless you allow private network addresses."
        ))
    }
}

/// Whether an address is on the public internet: not loopback, private, link-local,
/// shared (carrier-grade NAT), unspecified, broadcast, multicast or documentation space.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b);
    let reserved =
        a == 0 || a >= 240 || (a == 192 && b == 0) || (a == 198 && (18..20).contains(&b));
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || ip.is_unspecified()
        || shared
        || reserved)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00;
    let link_local = first & 0xffc0 == 0xfe80;
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    // NAT64 (64:ff9b::/96) embeds an IPv4 address, which decides.
    let nat64 = ip.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    if nat64 {
        let o = ip.octets();
        return is_public_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || unique_local
        || link_local
        || documentation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_private_link_local_and_shared_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip} counted as public");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
            "64:ff9b::808:808",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip} counted as private");
        }
    }

    #[test]
    fn public_endpoints_need_https_and_private_ones_need_permission() {
        assert!(parse("https://hooks.example.org/x", false).is_ok());
        assert!(parse("http://hooks.example.org/x", false)
            .unwrap_err()
            .contains("https://"));
        assert!(parse("http://10.0.0.5:8080/x", true).is_ok());
        assert!(parse("https://127.0.0.1/x", false)
            .unwrap_err()
            .contains("127.0.0.1"));
        assert!(parse("https://[::1]:8443/x", false)
            .unwrap_err()
            .contains("::1"));
        assert!(parse("https://169.254.169.254/latest", false).is_err());
        assert!(parse("ftp://example.org", false).is_err());
        assert!(parse("https://user:pw@example.org/", false).is_err());
        assert!(parse("https://example.org/\r\nX: y", false).is_err());
        assert!(parse("", false).is_err());
        assert_eq!(parse("https://example.org/h", false).unwrap().port, 443);
        assert_eq!(parse("http://10.0.0.5/h", true).unwrap().port, 80);
    }

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused_unless_allowed() {
        let target = parse("https://localhost:9/hook", false).unwrap();
        assert!(resolve(&target, false)
            .await
            .unwrap_err()
            .contains("loopback"));
        assert!(!resolve(&target, true).await.unwrap().is_empty());
    }
}
