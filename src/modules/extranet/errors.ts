// Messages for the extranet module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const extranetErrors = defineErrors({
  'extranet.not_found': { zh: '外网节点、链路或接入不存在或您无权查看', en: 'No such extranet node, link or connection that you may see' },
  'extranet.duplicate_code': { zh: '节点编码已存在', en: 'A node with this code exists already' },
  'extranet.unknown_region': { zh: '行政区划不存在', en: 'No such region' },
  'extranet.region_out_of_scope': { zh: '该行政区划不在您的管理范围内', en: 'The region lies outside your scope' },
  'extranet.unknown_node': { zh: '节点不存在或不在您的管理范围内', en: 'No such node in your scope' },
  'extranet.self_link': { zh: '链路两端不能是同一节点', en: 'A link joins two different nodes' },
  'extranet.duplicate_link': { zh: '这两个节点之间已有链路', en: 'These two nodes are linked already' },
  'extranet.unknown_department': { zh: '部门不存在或不在您的管理范围内', en: 'No such department in your scope' },
  'extranet.duplicate_connection': { zh: '该部门已接入这个节点', en: 'The department is connected to this node already' },
  'extranet.node_in_use': { zh: '节点仍有链路或部门接入，不能删除', en: 'The node still has links or connections and cannot be deleted' },
  'extranet.invalid_probe_host': { zh: '探测地址须为 IP 地址或主机名（不含协议、端口和路径）', en: 'The probe host is an IP address or a hostname (no scheme, port or path)' },
  'extranet.probe_not_configured': { zh: '请先填写探测地址和端口再启用探测', en: 'Set the probe host and port before enabling the probe' },
});
