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
#include <QVBoxLayout>

#include "stridelab/core/error.hpp"
#include "studio/live/serial_ports.hpp"

namespace stridelab::studio {

ConnectPanel::ConnectPanel(QWidget* parent) : QGroupBox(tr("Sensors"), parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout();
  form->setLabelAlignment(Qt::AlignRight);

  kind_ = new QComboBox();
  kind_->addItems({tr("USB serial port"), tr("TCP bridge"), tr("UDP")});
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
  form->addRow(tr("Address"), address_);

  protocol_ = new QComboBox();
  protocol_->addItem(tr("stridelab firmware"), QStringLiteral("stridelab"));
  protocol_->addItem(tr("WitMotion (serial)"), QStringLiteral("witmotion"));
  protocol_->addItem(tr("WitMotion (BLE bridge)"), QStringLiteral("witmotion-ble"));
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

ingest::SourceConfig ConnectPanel::formSource() const {
  ingest::SourceConfig c;
  switch (kind_->currentIndex()) {
    case 0: {
      // A listed port's path, or whatever was typed (e.g. /dev/pts/3).
      QString path = port_->currentData().toString();
      if (path.isEmpty() || port_->currentText() != port_->itemText(port_->currentIndex()))
        path = port_->currentText().trimmed();
      if (path.isEmpty()) throw Error("choose a serial port");
      c = ingest::serial_source(path.toStdString());
      break;
    }
    case 1:
      c = ingest::tcp_source(tcp_->text().trimmed().toStdString());
      break;
    default:
      c = ingest::udp_source(std::to_string(udp_->value()));
      break;
  }
  c.protocol = protocol_->currentData().toString().toStdString();
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
