// A tiny inventory model: a TypeScript file to try completions in.
export interface Item {
  sku: string;
  name: string;
  quantity: number;
  priceCents: number;
}

export class Inventory {
  private readonly items = new Map<string, Item>();

  add(item: Item): void {
    const existing = this.items.get(item.sku);
    if (existing) existing.quantity += item.quantity;
    else this.items.set(item.sku, { ...item });
  }

  remove(sku: string, quantity: number): boolean {
    const item = this.items.get(sku);
    if (!item || item.quantity < quantity) return false;
    item.quantity -= quantity;
    return true;
  }

  totalValueCents(): number {
    let total = 0;
    for (const item of this.items.values()) total += item.quantity * item.priceCents;
    return total;
  }
}
