import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanUrls } from './addresses.js';
import type { Interfaces } from './addresses.js';

function v4(address: string, internal = false): NetworkInterfaceInfo {
  return { address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null };
}
function v6(address: string, internal = false): NetworkInterfaceInfo {
  return { address, family: 'IPv6', internal, netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:00', scopeid: 0, cidr: null };
}

const machine: Interfaces = {
  lo: [v4('127.0.0.1', true), v6('::1', true)],
  eth0: [v4('192.168.1.20'), v6('fe80::1'), v6('2001:db8::20')],
  wlan0: [v4('10.0.0.7')],
};

describe('lanUrls', () => {
  it('lanUrls("0.0.0.0", port, interfaces) lists every non-internal IPv4 address', () => {
    expect(lanUrls('0.0.0.0', 5178, machine)).toEqual(['http://192.168.1.20:5178/', 'http://10.0.0.7:5178/']);
  });

  it('lanUrls("::", port, interfaces) adds IPv6 in brackets, leaving out link-local fe80:: (a URL cannot carry its zone)', () => {
    expect(lanUrls('::', 80, machine)).toEqual(['http://192.168.1.20:80/', 'http://[2001:db8::20]:80/', 'http://10.0.0.7:80/']);
  });

  it('lanUrls(one address of the machine) lists only that one; loopback or a foreign host lists none', () => {
    expect(lanUrls('10.0.0.7', 8080, machine)).toEqual(['http://10.0.0.7:8080/']);
    expect(lanUrls('127.0.0.1', 8080, machine)).toEqual([]);
    expect(lanUrls('172.16.0.1', 8080, machine)).toEqual([]);
  });
});
