export declare const WebSocket: null;
