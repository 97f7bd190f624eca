#include "studio/live/connect_panel.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStyle>
#include <QThread>
#include <QVBoxLayout>
#include <memory>

#include "stridelab/core/error.hpp"
#include "stridelab/ingest/ble.hpp"
#include "stridelab/protocol/movesense.hpp"
#include "studio/live/serial_ports.hpp"

namespace stridelab::studio {

namespace {
// The chosen entry's data (a port's path, a device's address), or what was typed over it.
QString listed_or_typed(const QComboBox& box) {
  const QString listed = box.currentData().toString();
  if (listed.isEmpty() || box.currentText() != box.itemText(box.currentIndex()))
    return box.currentText().trimmed();
  return listed;
}
}  // namespace

ConnectPanel::ConnectPanel(QWidget* parent) : QGroupBox(tr("Sensors"), parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout();
  form->setLabelAlignment(Qt::AlignRight);

  kind_ = new QComboBox();
  kind_->setObjectName("link");
  kind_->addItems({tr("USB serial port"), tr("TCP bridge"), tr("UDP"), tr("Bluetooth LE")});
  form->addRow(tr("Link"), kind_);

  address_ = new QStackedWidget();
  auto* serial_row = new QWidget();
  auto* serial_layout = new QHBoxLayout(serial_row);
  serial_layout->setContentsMargins(0, 0, 0, 0);
  port_ = new QComboBox();
  port_->setEditable(true);  // any path works, e.g. a pty or a udev symlink
  port_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  port_->setMinimumContentsLength(14);
  auto* refresh = new QPushButton(tr("↻"));
  refresh->setToolTip(tr("Look for serial ports again"));
  refresh->setFixedWidth(30);
  serial_layout->addWidget(port_, 1);
  serial_layout->addWidget(refresh);
  address_->addWidget(serial_row);
  tcp_ = new QLineEdit(QStringLiteral("127.0.0.1:9000"));
  tcp_->setPlaceholderText(tr("host:port of the bridge"));
  address_->addWidget(tcp_);
  udp_ = new QSpinBox();
  udp_->setRange(1, 65535);
  udp_->setValue(9000);
  udp_->setPrefix(tr("listen on port "));
  address_->addWidget(udp_);
  auto* ble_row = new QWidget();
  auto* ble_layout = new QHBoxLayout(ble_row);
  ble_layout->setContentsMargins(0, 0, 0, 0);
  ble_ = new QComboBox();
  ble_->setObjectName("bleDevices");
  ble_->setEditable(true);  // an address or a name typed in works too
  ble_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  ble_->setMinimumContentsLength(14);
  ble_->setPlaceholderText(tr("Scan, or type an address or name"));
  scan_ = new QPushButton(tr("Scan"));
  scan_->setObjectName("bleScan");
  scan_->setToolTip(tr("List the Bluetooth LE sensors nearby (through BlueZ)"));
  ble_layout->addWidget(ble_, 1);
  ble_layout->addWidget(scan_);
  address_->addWidget(ble_row);
  form->addRow(tr("Address"), address_);

  protocol_ = new QComboBox();
  protocol_->setObjectName("protocol");
  protocol_->addItem(tr("stridelab firmware"), QStringLiteral("stridelab"));
  protocol_->addItem(tr("WitMotion (serial)"), QStringLiteral("witmotion"));
  protocol_->addItem(tr("WitMotion (BLE bridge)"), QStringLiteral("witmotion-ble"));
  protocol_->addItem(tr("Movesense (BLE)"), QStringLiteral("movesense"));
  form->addRow(tr("Protocol"), protocol_);

  placement_ = new QComboBox();
  placement_->addItem(tr("Pelvis (sacrum)"), static_cast<int>(Placement::kPelvis));
  placement_->addItem(tr("Upper trunk"), static_cast<int>(Placement::kUpperTrunk));
  placement_->addItem(tr("Other"), static_cast<int>(Placement::kOther));
  form->addRow(tr("Worn on"), placement_);
  name_ = new QLineEdit();
  name_->setPlaceholderText(tr("optional, e.g. pelvis"));
  form->addRow(tr("Name"), name_);
  layout->addLayout(form);

  auto* list_buttons = new QHBoxLayout();
  add_ = new QPushButton(tr("Add to list"));
  add_->setToolTip(tr("Several sensors: add each one, then connect them together"));
  remove_ = new QPushButton(tr("Remove"));
  list_buttons->addWidget(add_);
  list_buttons->addWidget(remove_);
  layout->addLayout(list_buttons);
  list_ = new QListWidget();
  list_->setMaximumHeight(70);
  list_->setToolTip(tr("Sensors to connect. Empty: the one described above."));
  layout->addWidget(list_);

  connect_ = new QPushButton(tr("Connect"));
  connect_->setObjectName("primaryButton");
  layout->addWidget(connect_);

  connect(kind_, &QComboBox::currentIndexChanged, address_, &QStackedWidget::setCurrentIndex);
  connect(refresh, &QPushButton::clicked, this, &ConnectPanel::refreshPorts);
  connect(scan_, &QPushButton::clicked, this, [this] { scanBle(); });
  // A scanned sensor brings its protocol along.
  connect(ble_, &QComboBox::currentIndexChanged, this, [this](int index) {
    const int p = protocol_->findData(ble_->itemData(index, Qt::UserRole + 1));
    if (p >= 0) protocol_->setCurrentIndex(p);
  });
  connect(add_, &QPushButton::clicked, this, &ConnectPanel::addFromForm);
  connect(remove_, &QPushButton::clicked, this, [this] {
    const int row = list_->currentRow();
    if (row < 0 || connected_) return;
    configs_.erase(configs_.begin() + row);
    delete list_->takeItem(row);
  });
  connect(connect_, &QPushButton::clicked, this,
          [this] { connected_ ? emit disconnectRequested() : emit connectRequested(); });
  refreshPorts();
}

void ConnectPanel::refreshPorts() {
  const QString current = port_->currentData().toString();
  port_->clear();
  for (const SerialPortInfo& p : list_serial_ports())
    port_->addItem(QString::fromStdString(p.description()), QString::fromStdString(p.path));
  if (port_->count() == 0) port_->setPlaceholderText(tr("no USB serial port found"));
  const int index = port_->findData(current);
  if (index >= 0) port_->setCurrentIndex(index);
}

void ConnectPanel::scanBle(double seconds) {
  if (!scan_->isEnabled()) return;  // one scan at a time
  scan_->setEnabled(false);
  scan_->setText(tr("Scanning…"));
  emit statusMessage(tr("Looking for Bluetooth LE sensors…"));
  // The scan blocks for `seconds`: a worker thread runs it; the results come back through a
  // queued connection, which Qt drops if this panel is gone by then.
  auto found = std::make_shared<std::vector<ingest::BleDevice>>();
  auto error = std::make_shared<std::string>();
  QThread* worker = QThread::create([found, error, seconds] {
    try {
      *found = ingest::ble_scan(seconds);
    } catch (const std::exception& e) {
      *error = e.what();
    }
  });
  connect(worker, &QThread::finished, worker, &QObject::deleteLater);
  connect(worker, &QThread::finished, this, [this, found, error] {
    scan_->setEnabled(true);
    scan_->setText(tr("Scan"));
    if (!error->empty()) {
      emit statusMessage(tr("Bluetooth LE scan: %1").arg(QString::fromStdString(*error)));
      emit bleScanFinished(-1);
      return;
    }
    const QString typed = ble_->currentText();
    ble_->clear();
    for (const ingest::BleDevice& d : *found) {
      const QString rssi = d.has_rssi ? tr("%1 dBm").arg(d.rssi_dbm) : QStringLiteral("-");
      ble_->addItem(
          QStringLiteral("%1  %2  %3  %4")
              .arg(d.name.empty() ? QStringLiteral("-") : QString::fromStdString(d.name),
                   QString::fromStdString(d.address), rssi,
                   QString::fromUtf8(ingest::to_string(d.kind).data(),
                                     static_cast<qsizetype>(ingest::to_string(d.kind).size()))),
          QString::fromStdString(d.address));
      const std::string_view protocol = ingest::ble_protocol(d.kind);
      ble_->setItemData(ble_->count() - 1,
                        QString::fromUtf8(protocol.data(), static_cast<qsizetype>(protocol.size())),
                        Qt::UserRole + 1);
    }
    if (found->empty()) ble_->setEditText(typed);
    emit statusMessage(tr("%n Bluetooth LE device(s) found", "", static_cast<int>(found->size())));
    emit bleScanFinished(static_cast<int>(found->size()));
  });
  worker->start();
}

ingest::SourceConfig ConnectPanel::formSource() const {
  ingest::SourceConfig c;
  switch (kind_->currentIndex()) {
    case 0: {
      const QString path = listed_or_typed(*port_);  // typed: e.g. /dev/pts/3
      if (path.isEmpty()) throw Error("choose a serial port");
      c = ingest::serial_source(path.toStdString());
      break;
    }
    case 1:
      c = ingest::tcp_source(tcp_->text().trimmed().toStdString());
      break;
    case 2:
      c = ingest::udp_source(std::to_string(udp_->value()));
      break;
    default: {
      const QString device = listed_or_typed(*ble_);  // typed: an address or a name
      if (device.isEmpty()) throw Error("scan for a Bluetooth LE sensor, or type its address");
      c = ingest::ble_source(device.toStdString());
      break;
    }
  }
  c.protocol = protocol_->currentData().toString().toStdString();
  if (c.protocol == "movesense") {
    if (c.kind != ingest::TransportKind::kBle)
      throw Error("a Movesense is a Bluetooth LE sensor: choose the link Bluetooth LE");
    c.decoder.nominal_rate_hz = protocol::movesense::kDefaultRateHz;
  }
  c.placement = static_cast<Placement>(placement_->currentData().toInt());
  c.placement_given = true;
  c.name = name_->text().trimmed().toStdString();
  return c;
}

void ConnectPanel::addSource(const ingest::SourceConfig& config) {
  configs_.push_back(config);
  QString text = QString::fromStdString(config.describe());
  if (!config.name.empty())
    text = QString::fromStdString(config.name) + QStringLiteral(" — ") + text;
  list_->addItem(text);
}

void ConnectPanel::showSources(const std::vector<ingest::SourceConfig>& sources) {
  configs_.clear();
  list_->clear();
  for (const ingest::SourceConfig& c : sources) addSource(c);
}

void ConnectPanel::addFromForm() {
  try {
    addSource(formSource());
  } catch (const Error& e) {
    emit statusMessage(QString::fromStdString(e.what()));
  }
}

std::vector<ingest::SourceConfig> ConnectPanel::sources() const {
  if (!configs_.empty()) return configs_;
  return {formSource()};
}

void ConnectPanel::setConnected(bool connected) {
  connected_ = connected;
  connect_->setText(connected ? tr("Disconnect") : tr("Connect"));
  connect_->setProperty("active", connected);
  connect_->style()->unpolish(connect_);
  connect_->style()->polish(connect_);
  for (QWidget* w :
       {static_cast<QWidget*>(kind_), static_cast<QWidget*>(address_),
        static_cast<QWidget*>(protocol_), static_cast<QWidget*>(placement_),
        static_cast<QWidget*>(name_), static_cast<QWidget*>(add_), static_cast<QWidget*>(remove_)})
    w->setEnabled(!connected);
}

}  // namespace stridelab::studio
