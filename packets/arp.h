/*
 * arp.h - ARP for IPv4 over Ethernet (RFC 826): the 28-octet body that
 * follows an Ethernet header of type 0x0806.  The conformance tester uses
 * it to answer for the IPv4 addresses of the nodes it emulates (DSMIPv6,
 * RFC 5555: a home agent under test reaches a mobile node's IPv4 care-of
 * address, or the NAT in front of it, through ARP).
 */
#ifndef MIP6_PACKETS_ARP_H
#define MIP6_PACKETS_ARP_H

#include <netinet/in.h>
#include <stdint.h>

#define ETHERTYPE_ARP_	0x0806
#define ARP_LEN		28	/* Ethernet/IPv4 body */
#define ARP_OP_REQUEST	1
#define ARP_OP_REPLY	2

struct arp_msg {
	uint16_t	op;
	uint8_t		sha[6];		/* sender hardware address */
	struct in_addr	spa;		/* sender protocol address */
	uint8_t		tha[6];		/* target hardware address */
	struct in_addr	tpa;		/* target protocol address */
};

/*
 * Decode an ARP body.  0, or -1 when it is shorter than ARP_LEN or not
 * Ethernet (hardware type 1, length 6) over IPv4 (0x0800, length 4).
 */
int	arp_decode(struct arp_msg *, const uint8_t *, size_t);
/* Encode the 28 octets (hardware type Ethernet, protocol IPv4). */
void	arp_encode(const struct arp_msg *, uint8_t out[ARP_LEN]);

#endif
