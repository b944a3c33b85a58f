export interface AdfMark { type: string; attrs?: Record<string, unknown>; [key: string]: unknown }
export interface AdfNode { type: string; attrs?: Record<string, unknown>; content?: AdfNode[]; marks?: AdfMark[]; text?: string; [key: string]: unknown }
export interface AdfDoc extends AdfNode { type: 'doc'; version: number; content: AdfNode[] }
