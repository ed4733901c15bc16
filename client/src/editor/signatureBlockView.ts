import { variableLabel } from '@accord/shared'
import { SignatureBlock, type SignatoryLine } from '@accord/shared/schema'

/** `{{key}}` in a signatory line, filled from the document's variables (or named, when unset). */
export function fillVariables(text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g, (_match, key: string) => variables.get(key)?.trim() || `[${variableLabel(key)}]`)
}

/**
 * The signature lines, drawn from the block's attributes with variables filled in. Built with
 * textContent only, so nothing in a name can become markup.
 */
export function signatureBlockView(variables: () => ReadonlyMap<string, string>) {
  return SignatureBlock.extend({
    addNodeView() {
      return ({ node }) => {
        const dom = document.createElement('div')
        dom.className = 'signature-block'
        dom.contentEditable = 'false'
        let current = node
        const render = () => {
          const values = variables()
          const lines = (current.attrs.signatories ?? []) as SignatoryLine[]
          dom.replaceChildren(
            ...lines.map((line) => {
              const column = document.createElement('div')
              column.className = 'signature-block__party'
              const party = document.createElement('p')
              party.className = 'signature-block__name'
              party.textContent = `For ${fillVariables(line.party, values)}`
              const rows = ['Signature', `Name: ${fillVariables(line.name, values)}`, `Title: ${fillVariables(line.title, values)}`, 'Date'].map(
                (label) => {
                  const row = document.createElement('p')
                  row.className = 'signature-block__line'
                  row.textContent = label
                  return row
                },
              )
              column.append(party, ...rows)
              return column
            }),
          )
        }
        render()
        return {
          dom,
          // Called for attribute changes and for the variables decoration (see mouView.ts).
          update: (updated) => {
            if (updated.type !== current.type) return false
            current = updated
            render()
            return true
          },
        }
      }
    },
  })
}
