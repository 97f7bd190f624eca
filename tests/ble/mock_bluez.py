#!/usr/bin/env python3
"""A BlueZ stand-in on the bus DBUS_SYSTEM_BUS_ADDRESS names: what stridelab's BLE code sees
of bluetoothd (org.bluez: ObjectManager at /, Adapter1, Device1, GattService1,
GattCharacteristic1), without a radio.

Devices appear (InterfacesAdded) once discovery starts, as with a real adapter. The WitMotion
device streams FRAMES (a file of 20-byte 0x55 0x61 frames) as notifications on 0xFFE4 at
--rate frames/s from StartNotify on; --frames-per-notify packs several frames in one
notification, as the module does at high rates.

  mock_bluez.py --frames F.bin [--rate 100] [--mute] [--drop-after N [--drop-for S]]
                [--nus-stream F [--nus-chunk 20] [--nus-rate R]]
                [--movesense-stream F [--movesense-rate R] [--movesense-hz 104]]

The stridelab-NUS device streams F (stridelab protocol bytes, as firmware_protocol/ sends
them) on the NUS TX characteristic, --nus-chunk bytes per notification.

The Movesense device speaks the GATT SensorData Protocol: nothing flows until the host writes
[0x01, ref] + "/Meas/IMU9/<--movesense-hz>" to 34800001 (another path gets the command result
[0x01, ref, 0x01, 0xF5], 501 "non-supported sample rate"); then F's notifications (records:
u16 LE length + bytes, as stridelab's encoder writes them) go out on 34800002, --movesense-rate
a second, each carrying the host's ref in byte 1. [0x02, ref] stops them. Prints
"subscribed PATH" and "unsubscribed". --movesense-drop-after N: as --drop-after, for it.

Writes to the WitMotion's 0xFFE9 are parsed as the module would (unlock, rate, save).
--mute: the WitMotion device's Connect never replies (a device out of range that BlueZ is
still paging). --drop-after N: the device disconnects after N frames (once) and refuses
connections for --drop-for seconds; the sensor keeps sampling meanwhile, so the frames of the
outage are lost (printed as "lost FIRST COUNT" on resume).
Prints "ready" on stdout once org.bluez is owned, and "done N" once N frames were sent.
"""
import argparse
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

BLUEZ = "org.bluez"
OM = "org.freedesktop.DBus.ObjectManager"
PROPS = "org.freedesktop.DBus.Properties"
ADAPTER = "org.bluez.Adapter1"
DEVICE = "org.bluez.Device1"
SERVICE = "org.bluez.GattService1"
CHAR = "org.bluez.GattCharacteristic1"

WIT_SERVICE = "0000ffe5-0000-1000-8000-00805f9a34fb"
WIT_NOTIFY = "0000ffe4-0000-1000-8000-00805f9a34fb"
WIT_WRITE = "0000ffe9-0000-1000-8000-00805f9a34fb"
NUS_SERVICE = "6e400001-b5a3-f393-e0a9-e50e24dcca9e"
NUS_RX = "6e400002-b5a3-f393-e0a9-e50e24dcca9e"
NUS_TX = "6e400003-b5a3-f393-e0a9-e50e24dcca9e"
GSP_SERVICE = "34802252-7185-4d5d-b431-630e7050e8f0"
GSP_WRITE = "34800001-7185-4d5d-b431-630e7050e8f0"
GSP_NOTIFY = "34800002-7185-4d5d-b431-630e7050e8f0"


class Failed(dbus.DBusException):
    _dbus_error_name = "org.bluez.Error.Failed"


class Obj(dbus.service.Object):
    """An object with properties per interface, Get/GetAll/Set and PropertiesChanged."""

    def __init__(self, bus, path, props):
        super().__init__(bus, path)
        self.path = path
        self.props = props  # {interface: {name: value}}

    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, iface, name):
        return self.props[iface][name]

    @dbus.service.method(PROPS, in_signature="s", out_signature="a{sv}")
    def GetAll(self, iface):
        return self.props.get(iface, {})

    @dbus.service.method(PROPS, in_signature="ssv")
    def Set(self, iface, name, value):
        self.set(iface, name, value)

    @dbus.service.signal(PROPS, signature="sa{sv}as")
    def PropertiesChanged(self, iface, changed, invalidated):
        pass

    def set(self, iface, name, value):
        self.props[iface][name] = value
        self.PropertiesChanged(iface, {name: value}, [])


class Root(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/")
        self.objects = []

    def add(self, obj):
        self.objects.append(obj)
        self.InterfacesAdded(obj.path, obj.props)

    @dbus.service.method(OM, out_signature="a{oa{sa{sv}}}")
    def GetManagedObjects(self):
        return {o.path: o.props for o in self.objects}

    @dbus.service.signal(OM, signature="oa{sa{sv}}")
    def InterfacesAdded(self, path, interfaces):
        pass

    @dbus.service.signal(OM, signature="oas")
    def InterfacesRemoved(self, path, interfaces):
        pass


class Characteristic(Obj):
    def __init__(self, bus, path, service, uuid, flags):
        super().__init__(bus, path, {CHAR: {
            "UUID": uuid, "Service": dbus.ObjectPath(service), "Notifying": False,
            "Flags": dbus.Array(flags, signature="s"),
            "Value": dbus.Array([], signature="y")}})
        self.on_notify = None
        self.on_write = None

    @dbus.service.method(CHAR)
    def StartNotify(self):
        if not self.props[CHAR]["Notifying"]:
            self.set(CHAR, "Notifying", True)
            if self.on_notify:
                self.on_notify(True)

    @dbus.service.method(CHAR)
    def StopNotify(self):
        if self.props[CHAR]["Notifying"]:
            self.set(CHAR, "Notifying", False)
            if self.on_notify:
                self.on_notify(False)

    @dbus.service.method(CHAR, in_signature="aya{sv}")
    def WriteValue(self, value, options):
        if self.on_write:
            self.on_write(bytes(value))

    @dbus.service.method(CHAR, in_signature="a{sv}", out_signature="ay")
    def ReadValue(self, options):
        return self.props[CHAR]["Value"]

    def notify(self, data):
        self.set(CHAR, "Value", dbus.Array(data, signature="y"))


class Device(Obj):
    def __init__(self, bus, root, adapter, address, name, rssi, uuids, mute=False):
        self.unreachable_until = 0.0  # monotonic s; Connect fails before it
        path = adapter + "/dev_" + address.replace(":", "_")
        super().__init__(bus, path, {DEVICE: {
            "Address": address, "AddressType": "public", "Name": name, "Alias": name,
            "RSSI": dbus.Int16(rssi), "Connected": False, "ServicesResolved": False,
            "Paired": False, "Trusted": False, "Adapter": dbus.ObjectPath(adapter),
            "UUIDs": dbus.Array(uuids, signature="s")}})
        self.bus, self.root, self.mute = bus, root, mute
        self.gatt = []  # objects added once services are resolved
        self.chars = {}

    def add_service(self, handle, uuid, chars):
        spath = f"{self.path}/service{handle:04x}"
        service = Obj(self.bus, spath, {SERVICE: {
            "UUID": uuid, "Primary": True, "Device": dbus.ObjectPath(self.path)}})
        self.gatt.append(service)
        for i, (cuuid, flags) in enumerate(chars):
            c = Characteristic(self.bus, f"{spath}/char{handle + 1 + 2 * i:04x}", spath, cuuid,
                               flags)
            self.gatt.append(c)
            self.chars[cuuid] = c

    @dbus.service.method(DEVICE, async_callbacks=("ok", "err"))
    def Connect(self, ok, err):
        if self.mute:
            return  # never replies: the caller's timeout must end it
        if GLib.get_monotonic_time() / 1e6 < self.unreachable_until:
            err(Failed("le-connection-abort-by-local"))
            return
        if not self.props[DEVICE]["Connected"]:
            self.set(DEVICE, "Connected", True)
            for o in self.gatt:
                if o not in self.root.objects:
                    self.root.add(o)
            self.set(DEVICE, "ServicesResolved", True)
        ok()

    @dbus.service.method(DEVICE)
    def Disconnect(self):
        self.disconnect()

    def disconnect(self):
        for c in self.chars.values():
            if c.props[CHAR]["Notifying"]:
                c.StopNotify()
        if self.props[DEVICE]["ServicesResolved"]:
            self.set(DEVICE, "ServicesResolved", False)
        if self.props[DEVICE]["Connected"]:
            self.set(DEVICE, "Connected", False)


class Adapter(Obj):
    def __init__(self, bus, root, devices):
        super().__init__(bus, "/org/bluez/hci0", {ADAPTER: {
            "Address": "00:1A:7D:DA:71:13", "Name": "mock", "Alias": "mock", "Powered": True,
            "Discovering": False, "Discoverable": False}})
        self.root, self.devices = root, devices
        self.discoveries = 0

    @dbus.service.method(ADAPTER)
    def StartDiscovery(self):
        if self.props[ADAPTER]["Discovering"]:
            raise dbus.DBusException("Operation already in progress",
                                     name="org.bluez.Error.InProgress")
        self.discoveries += 1
        self.set(ADAPTER, "Discovering", True)
        # Advertisements take a moment to be heard.
        GLib.timeout_add(100, self._discover)

    def _discover(self):
        for d in self.devices:
            if d not in self.root.objects:
                self.root.add(d)
        return False

    @dbus.service.method(ADAPTER)
    def StopDiscovery(self):
        if not self.props[ADAPTER]["Discovering"]:
            raise dbus.DBusException("No discovery started", name="org.bluez.Error.Failed")
        self.set(ADAPTER, "Discovering", False)

    @dbus.service.method(ADAPTER, in_signature="a{sv}")
    def SetDiscoveryFilter(self, properties):
        pass


class Streamer:
    """Sends a byte stream as notifications while the client listens: `unit` bytes (a WitMotion
    frame, or an ATT payload for NUS) `rate` times a second, `per_notify` units at a time.
    With `pieces` (a list of notifications) each piece is one unit; `rewrite` may change a
    notification before it goes out."""

    def __init__(self, device, char, data, unit, rate, per_notify=1, drop_after=0,
                 drop_for=0.0, pieces=None, rewrite=None):
        self.device, self.char, self.data, self.unit = device, char, data, unit
        self.pieces, self.rewrite = pieces, rewrite
        self.count = len(pieces) if pieces is not None else (len(data) + unit - 1) // unit
        self.rate, self.per_notify = rate, per_notify
        self.drop_after, self.drop_for = drop_after, drop_for
        self.next = 0
        self.timer = None
        self.start_time = None  # the sensor's clock starts with the first subscription
        self.dropped = False
        char.on_notify = self.notifying

    def set_rate(self, rate):
        if self.start_time is not None:  # keep the frames sent so far where they were
            self.start_time = GLib.get_monotonic_time() / 1e6 - self.next / rate
        self.rate = rate

    def due(self):
        return int((GLib.get_monotonic_time() / 1e6 - self.start_time) * self.rate)

    def notifying(self, on):
        if on and self.timer is None:
            if self.start_time is None:
                self.start_time = GLib.get_monotonic_time() / 1e6
            elif self.dropped:
                # What the sensor sampled while nobody listened is gone.
                due = min(self.due(), self.count)
                if due > self.next:
                    print(f"lost {self.next} {due - self.next}", flush=True)
                    self.next = due
                self.dropped = False
            self.timer = GLib.timeout_add(5, self.tick)
        elif not on and self.timer is not None:
            GLib.source_remove(self.timer)
            self.timer = None

    def tick(self):
        # Catch up to where the clock says we should be (timers are late under load).
        due = self.due()
        while self.next < min(due, self.count):
            n = min(self.per_notify, self.count - self.next)
            if self.pieces is not None:
                out = b"".join(self.pieces[self.next:self.next + n])
            else:
                out = self.data[self.next * self.unit:(self.next + n) * self.unit]
            self.char.notify(self.rewrite(out) if self.rewrite else out)
            self.next += n
            if self.drop_after and self.next >= self.drop_after:
                self.drop_after = 0
                self.timer = None
                self.dropped = True
                self.device.unreachable_until = GLib.get_monotonic_time() / 1e6 + self.drop_for
                self.device.disconnect()
                return False
        if self.next >= self.count:
            print(f"done {self.count}", flush=True)
            self.timer = None
            return False
        return True


# WitMotion RRATE codes (register 0x03) and their rates, Hz.
WIT_RATES = {0x01: 0.2, 0x02: 0.5, 0x03: 1, 0x04: 2, 0x05: 5, 0x06: 10, 0x07: 20, 0x08: 50,
             0x09: 100, 0x0B: 200}


class WitConfig:
    """The module's command parser: FF AA 69 88 B5 unlocks, FF AA 03 code 00 sets the rate,
    FF AA 00 00 00 saves. Prints "rate R" and "saved" as they take effect."""

    def __init__(self, streamer):
        self.streamer, self.unlocked = streamer, False

    def write(self, data):
        if data == bytes([0xFF, 0xAA, 0x69, 0x88, 0xB5]):
            self.unlocked = True
        elif len(data) == 5 and data[:3] == bytes([0xFF, 0xAA, 0x03]) and self.unlocked:
            rate = WIT_RATES.get(data[3])
            if rate:
                self.streamer.set_rate(rate)
                print(f"rate {rate:g}", flush=True)
        elif data == bytes([0xFF, 0xAA, 0x00, 0x00, 0x00]) and self.unlocked:
            self.unlocked = False
            print("saved", flush=True)


def read_records(path):
    """Notification records: u16 LE length, then that many bytes."""
    with open(path, "rb") as f:
        data = f.read()
    out, pos = [], 0
    while pos + 2 <= len(data):
        n = data[pos] | (data[pos + 1] << 8)
        out.append(data[pos + 2:pos + 2 + n])
        pos += 2 + n
    return out


class GspCommands:
    """The gatt_sensordata_app's command handler: SUBSCRIBE [1, ref, path], UNSUBSCRIBE
    [2, ref]. Only the path this sensor was set up for streams."""

    def __init__(self, streamer, notify_char, path):
        self.streamer, self.char, self.path, self.ref = streamer, notify_char, path, None
        streamer.rewrite = self.with_ref
        streamer.char.on_notify = self.notifying
        streamer_notifying = streamer.notifying
        self.start = lambda: streamer_notifying(True)
        self.stop = lambda: streamer_notifying(False)

    def with_ref(self, data):
        return data[:1] + bytes([self.ref]) + data[2:]

    def notifying(self, on):
        if not on:
            self.stop()  # the host stopped listening: so does the sensor

    def write(self, data):
        if len(data) >= 2 and data[0] == 1:
            path = data[2:].decode("ascii", "replace")
            if path != self.path:
                self.char.notify(bytes([1, data[1], 0x01, 0xF5]))  # 501
                print(f"refused {path}", flush=True)
                return
            self.ref = data[1]
            print(f"subscribed {path}", flush=True)
            self.start()
        elif len(data) == 2 and data[0] == 2 and data[1] == self.ref:
            self.stop()
            print("unsubscribed", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", required=True)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--frames-per-notify", type=int, default=1)
    ap.add_argument("--mute", action="store_true")
    ap.add_argument("--drop-after", type=int, default=0)
    ap.add_argument("--drop-for", type=float, default=0.5)
    ap.add_argument("--nus-stream", help="stridelab protocol bytes for the NUS device")
    ap.add_argument("--nus-chunk", type=int, default=20, help="bytes per notification (MTU-3)")
    ap.add_argument("--nus-rate", type=float, default=100.0, help="notifications per second")
    ap.add_argument("--movesense-stream", help="notification records for the Movesense")
    ap.add_argument("--movesense-rate", type=float, default=26.0, help="notifications per second")
    ap.add_argument("--movesense-hz", type=int, default=104, help="the IMU9 rate it accepts")
    ap.add_argument("--movesense-drop-after", type=int, default=0,
                    help="the Movesense drops the link after N notifications (--drop-for)")
    args = ap.parse_args()
    with open(args.frames, "rb") as f:
        frames = f.read()

    DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    root = Root(bus)
    adapter_path = "/org/bluez/hci0"
    wit = Device(bus, root, adapter_path, "D4:36:39:7A:11:2C", "WT901BLE68", -58,
                 [WIT_SERVICE], mute=args.mute)
    wit.add_service(0x0010, WIT_SERVICE, [(WIT_NOTIFY, ["read", "notify"]),
                                         (WIT_WRITE, ["write-without-response", "write"])])
    nus = Device(bus, root, adapter_path, "C0:FF:EE:00:00:01", "stridelab-7f3a", -71,
                 [NUS_SERVICE])
    nus.add_service(0x0020, NUS_SERVICE, [(NUS_RX, ["write-without-response", "write"]),
                                         (NUS_TX, ["notify"])])
    other = Device(bus, root, adapter_path, "11:22:33:44:55:66", "Headphones", -80,
                   ["0000110b-0000-1000-8000-00805f9b34fb"])
    move = Device(bus, root, adapter_path, "0C:8C:DC:00:00:0A", "Movesense 220330000122", -64,
                  [GSP_SERVICE])
    move.add_service(0x0030, GSP_SERVICE, [(GSP_WRITE, ["write"]), (GSP_NOTIFY, ["notify"])])
    adapter = Adapter(bus, root, [wit, nus, other, move])
    root.add(adapter)
    streamer = Streamer(wit, wit.chars[WIT_NOTIFY], frames, 20, args.rate,
                        args.frames_per_notify, args.drop_after, args.drop_for)
    wit.chars[WIT_WRITE].on_write = WitConfig(streamer).write
    if args.nus_stream:
        with open(args.nus_stream, "rb") as f:
            Streamer(nus, nus.chars[NUS_TX], f.read(), args.nus_chunk, args.nus_rate)
    if args.movesense_stream:
        gsp = Streamer(move, move.chars[GSP_NOTIFY], b"", 1, args.movesense_rate,
                       drop_after=args.movesense_drop_after, drop_for=args.drop_for,
                       pieces=read_records(args.movesense_stream))
        move.chars[GSP_WRITE].on_write = GspCommands(
            gsp, move.chars[GSP_NOTIFY], f"/Meas/IMU9/{args.movesense_hz}").write
    # Claim the name last: a client that sees org.bluez finds the adapter in place.
    name = dbus.service.BusName(BLUEZ, bus, do_not_queue=True)
    print("ready", flush=True)
    loop = GLib.MainLoop()
    try:
        loop.run()
    finally:
        del name


if __name__ == "__main__":
    sys.exit(main())
